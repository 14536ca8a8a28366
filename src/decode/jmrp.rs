//! Microsoft's Junk Mail Reporting Program (Outlook.com / Hotmail): a complaint, not a bounce,
//! and not in the RFC 5965 format. The reported message comes back attached, its recipient in
//! `X-HmXmrOriginalRecipient`; the notice's subject reads "complaint about message from IP".

use crate::decode::{Decoded, arf, first_address, header_in_block};
use crate::message::Mail;

const RECIPIENT_FIELD: &str = "x-hmxmroriginalrecipient";

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let returned = mail.returned_headers.as_deref()?.trim_start();
    let recipient = header_in_block(returned, RECIPIENT_FIELD);
    let complaint_subject = mail.subject().trim_start().to_ascii_lowercase().starts_with("complaint about message from");
    if recipient.is_none() && !complaint_subject {
        return None;
    }
    Some(arf::complaint(vec![recipient.as_deref().and_then(first_address)], Some("abuse"), "jmrp"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;
    use crate::report::Kind;

    #[test]
    fn a_complaint_names_the_recipient_of_the_reported_message() {
        let raw = b"From: staff@hotmail.com\nSubject: complaint about message from 192.0.2.22\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: message/rfc822\nContent-Disposition: inline\n\nX-HmXmrOriginalRecipient: tama@example.com\nFrom: Neko <neko@example.org>\nTo: <tama@example.com>\nSubject: Sale\n\nBuy now\n--b--\n";
        let decoded = decode(&read(raw)).unwrap();
        assert_eq!(decoded.kind, Kind::Feedback);
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("tama@example.com"));
        assert_eq!(decoded.deliveries[0].feedback_type.as_deref(), Some("abuse"));
    }

    #[test]
    fn an_ordinary_forward_is_no_complaint() {
        let raw = b"From: a@example.com\nSubject: Fwd: hello\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: message/rfc822\n\nFrom: b@example.org\nSubject: hello\n\nhi\n--b--\n";
        assert_eq!(decode(&read(raw)), None);
    }
}
