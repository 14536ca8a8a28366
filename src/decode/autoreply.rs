//! RFC 3834 automatic replies (vacation notices): not a bounce. Told by `Auto-Submitted:
//! auto-replied` or the subject words that auto-responders write; the recipient is the person
//! who answered (`From`).

use crate::decode::{Decoded, first_address};
use crate::message::Mail;
use crate::report::{Delivery, Kind, Reason};

/// Subject beginnings of auto-responders (lowercase).
const SUBJECT_MARKS: &[&str] = &["automatic reply", "auto:", "autoreply", "auto-reply", "auto reply", "out of office", "out of the office", "away until", "vacation", "absence", "自動応答", "自動返信", "不在"];

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let auto_submitted = mail.header("auto-submitted").unwrap_or("").trim().to_ascii_lowercase();
    let subject = mail.subject().trim().to_ascii_lowercase();
    let by_header = auto_submitted.starts_with("auto-replied")
        || mail.header("x-autoreply").is_some()
        || mail.header("x-autorespond").is_some()
        || mail.header("precedence").is_some_and(|p| p.trim().eq_ignore_ascii_case("auto_reply"));
    let by_subject = SUBJECT_MARKS.iter().any(|m| subject.starts_with(m));
    let from = mail.from().to_ascii_lowercase();
    let from_the_system = ["mailer-daemon", "postmaster", "mail delivery"].iter().any(|m| from.contains(m));
    let about_delivery = ["undeliver", "fail", "error", "returned", "delivery status", "not delivered", "delayed"].iter().any(|m| subject.contains(m));
    if !(by_header || by_subject) || from_the_system || about_delivery || !mail.status.is_empty() || mail.feedback.is_some() {
        return None;
    }
    let delivery = Delivery {
        recipient: first_address(mail.from()),
        reason: Reason::Vacation,
        diagnostic: None,
        ..Delivery::default()
    };
    Some(Decoded { kind: Kind::Autoreply, deliveries: vec![delivery], decoded_by: "rfc3834", arrival: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn auto_replied_header_makes_a_vacation_notice() {
        let raw = b"From: Kijitora <kijitora@example.net>\nTo: a@example.org\nAuto-Submitted: auto-replied\nSubject: Away until May 5\n\nI am away.\n";
        let decoded = decode(&read(raw)).unwrap();
        assert_eq!(decoded.kind, Kind::Autoreply);
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("kijitora@example.net"));
        assert_eq!(decoded.deliveries[0].reason, Reason::Vacation);
    }

    #[test]
    fn ordinary_mail_is_no_auto_reply() {
        assert_eq!(decode(&read(b"From: a@example.org\nSubject: lunch\n\nnoon?\n")), None);
    }
}
