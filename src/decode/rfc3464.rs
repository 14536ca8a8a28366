//! RFC 3464 / RFC 6533 delivery-status notifications: the machine-readable part decides.

use crate::decode::{Decoded, clean_address, complete_from_diagnostic};
use crate::dsn;
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind};
use crate::time;

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let mut deliveries = Vec::new();
    let mut arrival = None;
    for part in &mail.status {
        let report = dsn::parse(part);
        if arrival.is_none() {
            arrival = report.per_message.get("arrival-date").and_then(time::parse_to_rfc3339);
        }
        for fields in &report.per_recipient {
            let recipient = fields
                .typed("final-recipient")
                .or_else(|| fields.typed("original-recipient"))
                .and_then(clean_address);
            let mut delivery = Delivery {
                recipient,
                action: fields.get("action").and_then(Action::parse),
                status: fields.get("status").and_then(|s| crate::smtp::find_status(s)).map(str::to_owned),
                diagnostic: fields.typed("diagnostic-code").map(str::to_owned),
                remote_mta: fields.typed("remote-mta").map(str::to_owned),
                retry_until: fields.get("will-retry-until").and_then(time::parse_to_rfc3339),
                ..Delivery::default()
            };
            complete_from_diagnostic(&mut delivery);
            deliveries.push(delivery);
        }
    }
    if deliveries.is_empty() {
        return None;
    }
    let kind = if deliveries.iter().all(|d| d.action == Some(Action::Delayed)) {
        Kind::Delay
    } else if deliveries.iter().all(|d| matches!(d.action, Some(Action::Delivered | Action::Relayed | Action::Expanded))) {
        Kind::Delivered
    } else {
        Kind::Bounce
    };
    Some(Decoded { kind, deliveries, decoded_by: "rfc3464", arrival })
}
