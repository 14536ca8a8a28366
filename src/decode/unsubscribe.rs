//! A one-click unsubscribe request sent by a mail client (Apple Mail's "Unsubscribe" marks it
//! `X-Apple-Unsubscribe: true`): the recipient asks to leave a list. A complaint of the kind
//! `opt-out`, not a bounce and not an auto-reply, though it says `Auto-Submitted`.

use crate::decode::{Decoded, first_address};
use crate::message::Mail;
use crate::report::{Delivery, Kind, Reason};

pub fn decode(mail: &Mail) -> Option<Decoded> {
    if !mail.header("x-apple-unsubscribe").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return None;
    }
    let delivery = Delivery {
        // The person unsubscribing is the recipient of the list's mail.
        recipient: first_address(mail.from()),
        reason: Reason::Feedback,
        feedback_type: Some("opt-out".to_owned()),
        ..Delivery::default()
    };
    Some(Decoded { kind: Kind::Feedback, deliveries: vec![delivery], decoded_by: "unsubscribe", arrival: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

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
