//! Exchange Server 2003-era notices: "did not reach the following recipient(s):", each address as
//! `addr on DATE`, then the reason and an `MSEXCH:` diagnostic with a hex code.

use crate::decode::{Continuation, Decoded, address_blocks, complete_from_diagnostic, join_lines};
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind, Reason};

const STARTS: &[&str] = &[
    "did not reach the following recipient",
    "could not be reached:",
    "the following recipient(s) could not be reached",
    // The Japanese Outlook/Exchange localisation of the same template ("Your message did not
    // reach some or all of the intended recipients." / "The following recipient(s) could not be
    // reached:"), each address then written `'addr' 2008/04/22 16:20` (field/outlook-ja-haishin-funou.txt).
    "受信者全員または一部に届きませんでした",
    "以下の受信者にメールが配信できませんでした",
];

/// The Exchange status codes (in parentheses after `MSEXCH:IMS:...`) and Exchange's own fixed
/// wordings for them, whose meaning is fixed.
const CODES: &[(&str, Reason)] = &[
    ("the recipient name is not recognized", Reason::UserUnknown),
    ("000c05a6", Reason::UserUnknown),
    ("000b099c", Reason::HostUnknown),
    ("000b09aa", Reason::HostUnknown),
    ("000c0595", Reason::Expired),
    ("000b0981", Reason::NetworkError),
    ("000c05ac", Reason::MesgTooBig),
];

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let notice = crate::decode::notice_text(mail);
    let lower = crate::decode::notice_lower(mail);
    let start = STARTS.iter().filter_map(|m| lower.find(m)).min()?;
    let section = &notice[start..];
    let mut deliveries = Vec::new();
    for block in address_blocks(section, Continuation::Paragraph) {
        let lines: Vec<&str> = block.lines.iter().copied().take_while(|l| !l.starts_with("--")).collect();
        let text = join_lines(lines.iter().copied());
        let lower_text = text.to_ascii_lowercase();
        let reason = CODES.iter().find(|(code, _)| lower_text.contains(code)).map(|&(_, r)| r).unwrap_or_default();
        let mut delivery = Delivery {
            recipient: Some(block.recipient),
            action: Some(Action::Failed),
            diagnostic: (!text.is_empty()).then_some(text),
            reason,
            // The organisation's own server accepted the message, then could not hand it on.
            after_acceptance: true,
            ..Delivery::default()
        };
        complete_from_diagnostic(&mut delivery);
        deliveries.push(delivery);
    }
    if deliveries.is_empty() {
        return None;
    }
    Some(Decoded { kind: Kind::Bounce, deliveries, decoded_by: "exchange2003", arrival: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn recipients_on_dates_with_exchange_codes() {
        let raw = b"From: System Administrator <postmaster@example.jp>\nSubject: Undeliverable: hi\n\nYour message\n\n  To:      a@example.com\n\ndid not reach the following recipient(s):\n\nb@example.jp on Thu, 29 Apr 2010 00:00:00 -0000\n    The recipient name is not recognized\n    MSEXCH:IMS:NNN:X:Y 0 (000C05A6) Unknown Recipient\n";
        let decoded = decode(&read(raw)).unwrap();
        assert_eq!(decoded.deliveries.len(), 1);
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("b@example.jp"));
        assert_eq!(decoded.deliveries[0].reason, Reason::UserUnknown);
    }

    #[test]
    fn the_japanese_template_names_each_recipient_with_a_date() {
        let pasted = "このメールは、受信者全員または一部に届きませんでした。\n\n  件名: 打ち合わせ\n\n以下の受信者にメールが配信できませんでした:\n\n  'neko@b.example' 2024/04/22 16:20\n  要求された操作は失敗しました。\n";
        let decoded = decode(&read(pasted.as_bytes())).unwrap();
        assert_eq!(decoded.deliveries.len(), 1);
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("neko@b.example"));
        assert_eq!(decoded.deliveries[0].diagnostic.as_deref(), Some("要求された操作は失敗しました。"));
    }
}
