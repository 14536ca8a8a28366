//! Which mail system wrote a notice that the generic reader decodes. Their notices share the
//! shapes the reader knows (recipient lines, transcripts, labelled reasons); the family is
//! recognised by its own marks, kept here as data, and named in the report's `decoded_by`.

use crate::message::Mail;

/// Where a family's mark is looked for.
#[derive(Clone, Copy)]
enum Place {
    /// A header field that only this family writes (any value).
    Field(&'static str),
    /// Words in a header field's value (lowercase).
    InField(&'static str, &'static str),
    /// Words in the notice (lowercase).
    Notice(&'static str),
}

/// The families, most specific marks first.
static FAMILIES: &[(&str, Place)] = &[
    ("activehunter", Place::Field("x-ahmailid")),
    ("mfilter", Place::InField("x-mailer", "m-filter")),
    ("imail", Place::InField("x-mailer", "<smtp32")),
    ("mxlogic", Place::Field("x-mx-bounce")),
    ("mxlogic", Place::Field("x-mxl-notehash")),
    ("exchange-online", Place::Field("x-ms-exchange-message-is-ndr")),
    ("interscan", Place::InField("from", "interscan")),
    ("interscan", Place::Notice("interscan messaging security suite")),
    ("lotus-notes", Place::Notice("domino directory")),
    ("lotus-notes", Place::Notice("name & address book")),
    ("lotus-notes", Place::Notice("------- failure reasons")),
    ("verizon", Place::InField("from", "vzwpix.com")),
    ("kddi", Place::InField("from", "dion.ne.jp")),
    ("ezweb", Place::InField("from", "ezweb.ne.jp")),
    ("biglobe", Place::InField("from", "biglobe.ne.jp")),
    ("opensmtpd", Place::Notice("this is the mailer-daemon, please do not reply")),
    ("yahoo-classic", Place::Notice("unable to deliver message to the following address")),
    ("postfix", Place::Notice("this is the mail system at host")),
    ("postfix", Place::Notice("this is the postfix program at host")),
    ("sendmail", Place::Notice("----- transcript of session follows -----")),
    ("sendmail", Place::Notice("----- the following addresses had permanent fatal errors -----")),
];

/// The family whose mark the notice bears, if any.
pub fn recognise(mail: &Mail) -> Option<&'static str> {
    let notice = crate::decode::notice_lower(mail);
    FAMILIES
        .iter()
        .find(|(_, place)| match *place {
            Place::Field(name) => mail.header(name).is_some(),
            Place::InField(name, words) => mail.header(name).is_some_and(|v| v.to_ascii_lowercase().contains(words)),
            Place::Notice(words) => notice.contains(words),
        })
        .map(|&(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn families_by_their_fields_and_their_words() {
        assert_eq!(recognise(&read(b"From: postmaster@a.example\nX-Mailer: <SMTP32 v8.22>\nSubject: Undeliverable Mail\n\nUnknown user: neko@b.example\n")), Some("imail"));
        assert_eq!(recognise(&read(b"From: MAILER-DAEMON@a.example\nSubject: Undelivered Mail Returned to Sender\n\nThis is the mail system at host a.example.\n")), Some("postfix"));
        assert_eq!(recognise(&read(b"From: a@b.example\nSubject: hi\n\nhello\n")), None);
    }
}
