//! Google Groups refusing a post: the group does not exist or the sender may not post. The
//! group's address is in `X-Failed-Recipients`; the reason is the refusal of the sender.

use crate::decode::{Decoded, first_address};
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind, Reason};

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let from = mail.from().to_ascii_lowercase();
    if !from.contains("google") {
        return None;
    }
    let body = crate::decode::notice_text(mail);
    let lower = crate::decode::notice_lower(mail);
    if !(lower.contains("groups.google") || lower.contains("google groups") || body.contains("Google グループ")) {
        return None;
    }
    let failed = mail.header("x-failed-recipients")?;
    let deliveries: Vec<Delivery> = failed
        .split(',')
        .filter_map(first_address)
        .map(|recipient| Delivery {
            recipient: Some(recipient),
            action: Some(Action::Failed),
            reason: Reason::Rejected,
            diagnostic: body.lines().map(str::trim).find(|l| !l.is_empty() && l.len() > 40).map(str::to_owned),
            ..Delivery::default()
        })
        .collect();
    (!deliveries.is_empty()).then_some(Decoded { kind: Kind::Bounce, deliveries, decoded_by: "googlegroups", arrival: None })
}
