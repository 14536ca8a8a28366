//! RFC 3464 / RFC 6533 delivery-status notifications: the machine-readable part decides.

use crate::decode::{Decoded, clean_address, complete_from_diagnostic, text};
use crate::dsn;
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind, Reason};
use crate::time;

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let mut deliveries = Vec::new();
    let mut arrival = None;
    let embedded: Vec<String> = if mail.status.is_empty() { embedded_status(&mail.body, &mail.lower_body).into_iter().collect() } else { Vec::new() };
    let parts = if mail.status.is_empty() { &embedded } else { &mail.status };
    for part in parts {
        let report = dsn::parse(part);
        if arrival.is_none() {
            arrival = report.per_message.get("arrival-date").and_then(time::parse_to_rfc3339);
        }
        for fields in &report.per_recipient {
            // A source route (`@relay:user@host`) or a host without a domain is the MTA's
            // internal form: the original recipient is the address the sender wrote.
            let usable = |address: &String| !address.starts_with('@') && !address.contains(':') && address.rsplit_once('@').is_some_and(|(_, d)| d.contains('.'));
            // `|/path/program args`: a local delivery program (Exim's pipe) took the message; the
            // address it was delivering for is among its arguments.
            let pipe = fields.typed("final-recipient").filter(|f| f.trim_start().starts_with('|'));
            let final_recipient = match pipe {
                Some(command) => command.split_whitespace().find_map(clean_address),
                None => fields.typed("final-recipient").and_then(clean_address),
            };
            let original = fields.typed("original-recipient").and_then(clean_address);
            let recipient = match (final_recipient, original) {
                (Some(f), Some(o)) if !usable(&f) && usable(&o) => Some(o),
                (f, o) => f.or(o),
            };
            let mut delivery = Delivery {
                recipient,
                action: fields.get("action").and_then(Action::parse),
                status: fields.get("status").and_then(|s| crate::smtp::find_status(s)).map(str::to_owned),
                diagnostic: fields.typed("diagnostic-code").map(str::to_owned),
                remote_mta: fields.typed("remote-mta").map(str::to_owned),
                retry_until: fields.get("will-retry-until").and_then(time::parse_to_rfc3339),
                mta_remark: remark(fields),
                ..Delivery::default()
            };
            if pipe.is_some() || fields.get("diagnostic-code").is_some_and(|d| d.trim_start().to_ascii_lowercase().starts_with("x-unix")) {
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
    let by_recipient: std::collections::HashMap<&str, &Delivery> = blocks.iter().filter_map(|b| Some((b.recipient.as_deref()?, b))).collect();
    let whole_command = crate::smtp::find_command(notice);
    for delivery in deliveries.iter_mut() {
        let block = delivery.recipient.as_deref().and_then(|r| by_recipient.get(r)).copied();
        if delivery.mta_remark.is_none() {
            delivery.mta_remark = block.and_then(|b| b.mta_remark.clone());
            // A local program's exit status says less than its own words ("maildir over
            // quota"): when they name a cause, the classifier reads them.
            if delivery.reason == Reason::MailerError && delivery.mta_remark.as_deref().and_then(crate::classify::reason_named_by).is_some() {
                delivery.reason = Reason::Undefined;
            }
        }
        if delivery.diagnostic.is_none() {
            delivery.diagnostic = block.and_then(|b| b.diagnostic.clone());
            if delivery.diagnostic.is_none()
                && let Some(sentence) = sentence_naming(notice, delivery.recipient.as_deref())
            {
                if delivery.status.as_deref().is_none_or(|s| s.ends_with(".0.0")) {
                    // The sending system's own verdict, not a remote reply, and no precise
                    // status beside it: its sentence decides, as a notice's own words do.
                    let own = crate::classify::classify(&sentence, None).reason;
                    if !matches!(own, Reason::OnHold | Reason::Undefined) {
                        delivery.reason = own;
                    }
                }
                delivery.diagnostic = Some(sentence);
            }
        }
        if delivery.smtp_command.is_none() {
            let from_block = block.and_then(|b| b.diagnostic.as_deref()).and_then(crate::smtp::find_command);
            delivery.smtp_command = from_block.or(whole_command).map(str::to_owned);
        }
        complete_from_diagnostic(delivery);
        if delivery.reply_code.is_none() {
            let words = block.and_then(|b| b.diagnostic.as_deref()).unwrap_or("");
            delivery.reply_code = crate::smtp::find_reply_code(words).map(str::to_owned);
        }
    }
}

/// Fields in which a sending system states its own classification of a failed recipient.
const CATEGORY_FIELDS: &[&str] = &["x-powermta-bouncecategory"];

/// The reporting MTA's remark on a recipient: the words after its status code
/// (`Status: 5.2.1 (mailbox disabled, not accepting messages)`) and its bounce category.
fn remark(fields: &dsn::Fields) -> Option<String> {
    let status = fields.get("status").unwrap_or("");
    let after_code = crate::smtp::find_status(status).and_then(|code| status.split_once(code)).map_or("", |(_, rest)| rest);
    let words = std::iter::once(after_code).chain(CATEGORY_FIELDS.iter().filter_map(|name| fields.get(name)));
    let remark = crate::decode::join_lines(words.map(|w| w.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace())));
    (!remark.is_empty()).then_some(remark)
}

/// Delivery-status fields written into the text itself ("Technical report:" and the like), where
/// no `message/delivery-status` part was made: the text from the first such field on.
fn embedded_status(body: &str, lower: &str) -> Option<String> {
    let at = lower.find("\nfinal-recipient:").or_else(|| lower.find("\noriginal-recipient:"))?;
    let start = lower[..at].rfind("\nreporting-mta:").unwrap_or(at) + 1;
    let fields = &body[start..];
    let fields_lower = &lower[start..];
    (fields_lower.contains("\naction:") || fields_lower.contains("\nstatus:")).then(|| fields.to_owned())
}

/// The notice's sentence about a recipient ("Your message wasn't delivered to a@b because the
/// address couldn't be found."), when the status part gave no words of its own.
fn sentence_naming(notice: &str, recipient: Option<&str>) -> Option<String> {
    let recipient = recipient?;
    let line = notice.lines().map(str::trim).find(|l| l.contains(recipient) && l.len() > recipient.len() + 20)?;
    Some(line.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn a_pipe_recipient_is_a_local_program_failing_for_its_address() {
        let raw = b"From: Mail Delivery System <Mailer-Daemon@a.example>\nSubject: Mail delivery failed\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nThe following address(es) failed:\n\n  pipe to |/usr/bin/prog neko@a.example\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; a.example\n\nAction: failed\nFinal-Recipient: rfc822;|/usr/bin/prog neko@a.example /home/neko\nStatus: 5.0.0\n\n--b--\n";
        let decoded = decode(&read(raw)).unwrap();
        let delivery = &decoded.deliveries[0];
        assert_eq!(delivery.recipient.as_deref(), Some("neko@a.example"));
        assert_eq!(delivery.reason, Reason::MailerError);
    }

    #[test]
    fn an_address_verification_report_says_deliverable_or_undeliverable() {
        let report = |action: &str| {
            let raw = format!("From: MAILER-DAEMON@a.example\nSubject: Mail Delivery Status Report\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nEnclosed is the mail delivery report that you requested.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; tama@b.example\nAction: {action}\nStatus: 2.1.5\n\n--b--\n");
            decode(&read(raw.as_bytes())).unwrap()
        };
        let deliverable = report("deliverable");
        assert_eq!(deliverable.kind, Kind::Delivered);
        assert_eq!(deliverable.deliveries[0].action, Some(Action::Delivered));
        let undeliverable = report("undeliverable");
        assert_eq!(undeliverable.kind, Kind::Bounce);
        assert_eq!(undeliverable.deliveries[0].action, Some(Action::Failed));
    }
}
