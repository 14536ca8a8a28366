//! RFC 3464 / RFC 6533 delivery-status notifications: the machine-readable part decides.

use crate::decode::{Decoded, clean_address, complete_from_diagnostic, text};
use crate::dsn;
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind, Reason};
use crate::time;

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let mut deliveries = Vec::new();
    let mut arrival = None;
    let embedded: Vec<String> = if mail.status.is_empty() { embedded_status(&mail.body).into_iter().collect() } else { Vec::new() };
    let parts = if mail.status.is_empty() { &embedded } else { &mail.status };
    for part in parts {
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
            if fields.get("diagnostic-code").is_some_and(|d| d.trim_start().to_ascii_lowercase().starts_with("x-unix")) {
                // A local delivery program's exit, not an SMTP server's reply.
                delivery.reason = Reason::MailerError;
            }
            complete_from_diagnostic(&mut delivery);
            deliveries.push(delivery);
        }
    }
    if deliveries.is_empty() {
        return None;
    }
    complete_from_notice(mail, &mut deliveries);
    let kind = if deliveries.iter().all(|d| d.action == Some(Action::Delayed)) {
        Kind::Delay
    } else if deliveries.iter().all(|d| matches!(d.action, Some(Action::Delivered | Action::Relayed | Action::Expanded))) {
        Kind::Delivered
    } else {
        Kind::Bounce
    };
    Some(Decoded { kind, deliveries, decoded_by: "rfc3464", arrival })
}

/// The human-readable part often holds what the status part lacks: the server's words when no
/// `Diagnostic-Code` was written, and the SMTP command ("in reply to RCPT TO command").
fn complete_from_notice(mail: &Mail, deliveries: &mut [Delivery]) {
    let notice = crate::decode::notice_text(mail);
    let blocks = text::recipient_blocks(notice);
    let whole_command = crate::smtp::find_command(notice);
    for delivery in deliveries.iter_mut() {
        let block = blocks.iter().find(|b| b.recipient.is_some() && b.recipient == delivery.recipient);
        if delivery.diagnostic.is_none() {
            delivery.diagnostic = block.and_then(|b| b.diagnostic.clone());
        }
        if delivery.smtp_command.is_none() {
            let from_block = block.and_then(|b| b.diagnostic.as_deref()).and_then(crate::smtp::find_command);
            delivery.smtp_command = from_block.or(whole_command).map(str::to_owned);
        }
        complete_from_diagnostic(delivery);
    }
}

/// Delivery-status fields written into the text itself ("Technical report:" and the like), where
/// no `message/delivery-status` part was made: the text from the first such field on.
fn embedded_status(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let at = lower.find("\nfinal-recipient:").or_else(|| lower.find("\noriginal-recipient:"))?;
    let start = lower[..at].rfind("\nreporting-mta:").unwrap_or(at) + 1;
    let fields = &body[start..];
    let fields_lower = &lower[start..];
    (fields_lower.contains("\naction:") || fields_lower.contains("\nstatus:")).then(|| fields.to_owned())
}
