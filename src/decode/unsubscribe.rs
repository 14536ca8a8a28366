//! A one-click unsubscribe request sent by a mail client (Apple Mail's "Unsubscribe" marks it
//! `X-Apple-Unsubscribe: true`): the recipient asks to leave a list. A complaint of the kind
//! `opt-out`, not a bounce and not an auto-reply, though it says `Auto-Submitted`.

use crate::decode::{Decoded, arf, first_address};
use crate::message::Mail;

pub fn decode(mail: &Mail) -> Option<Decoded> {
    if !mail.header("x-apple-unsubscribe").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return None;
    }
    // The person unsubscribing is the recipient of the list's mail.
    Some(arf::complaint(vec![first_address(mail.from())], Some("opt-out"), "unsubscribe"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;
    use crate::report::Kind;

    #[test]
    fn an_apple_mail_unsubscribe_is_an_opt_out() {
        let raw = b"From: tama@icloud.example\nTo: opt-out-123@list.example\nSubject: unsubscribe\nAuto-Submitted: auto-replied\nX-Apple-Unsubscribe: true\n\nApple Mail sent this email to unsubscribe.\n";
        let decoded = decode(&read(raw)).unwrap();
        assert_eq!(decoded.kind, Kind::Feedback);
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("tama@icloud.example"));
        assert_eq!(decoded.deliveries[0].feedback_type.as_deref(), Some("opt-out"));
        assert_eq!(decode(&read(b"From: a@b.example\nSubject: unsubscribe\n\nplease\n")), None);
    }
}
