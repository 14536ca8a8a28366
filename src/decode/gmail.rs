//! Gmail's own notice (before it wrote RFC 3464 parts): "Delivery to the following recipient
//! failed permanently:" / "has been delayed:", the addresses indented below, then "Technical
//! details of permanent failure:" with the remote server's words.

use crate::decode::{Decoded, address_line, complete_from_diagnostic, join_lines};
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind};

const OPENING: &str = "delivery to the following recipient";

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let notice = crate::decode::notice_text(mail);
    let lower = crate::decode::notice_lower(mail);
    let start = lower.find(OPENING)?;
    let opening_line = lower[start..].lines().next().unwrap_or("");
    let delayed = opening_line.contains("delayed") || opening_line.contains("temporarily");
    let recipients: Vec<String> = notice[start..]
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map_while(address_line)
        .collect();
    if recipients.is_empty() {
        return None;
    }
    let details = lower.find("technical details").map(|at| {
        let from = notice[at..].find('\n').map_or(notice.len(), |i| at + i + 1);
        let text = &notice[from..];
        let lower_text = &lower[from..];
        let said = "the error that the other server returned was:";
        let words = lower_text.find(said).map_or(text, |i| &text[i + said.len()..]);
        join_lines(words.lines().map(|l| l.trim_end_matches("=20").trim_end_matches('=')).filter(|l| !l.trim().is_empty()))
    });
    let diagnostic = details.or_else(|| {
        // A delay notice tells only how long it keeps trying.
        let after = notice[start..].lines().skip(1).filter(|l| !l.trim().is_empty()).find(|l| address_line(l).is_none())?;
        Some(after.trim().to_owned())
    });
    let deliveries = recipients
        .into_iter()
        .map(|recipient| {
            // `SMTP:RCPT host ...: 553 ...` names the command first.
            let command = diagnostic.as_deref().and_then(|d| d.strip_prefix("SMTP:")).and_then(|d| d.split_whitespace().next()).map(str::to_ascii_uppercase);
            let mut delivery = Delivery {
                recipient: Some(recipient),
                action: Some(if delayed { Action::Delayed } else { Action::Failed }),
                diagnostic: diagnostic.clone().filter(|d| !d.is_empty()),
                smtp_command: command.filter(|c| ["RCPT", "MAIL", "DATA", "HELO", "EHLO"].contains(&c.as_str())),
                ..Delivery::default()
            };
            complete_from_diagnostic(&mut delivery);
            delivery
        })
        .collect();
    let kind = if delayed { Kind::Delay } else { Kind::Bounce };
    Some(Decoded { kind, deliveries, decoded_by: "gmail", arrival: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn permanent_failure_with_technical_details() {
        let raw = b"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\n\nDelivery to the following recipient failed permanently:\n\n     a@example.jp\n\nTechnical details of permanent failure:\nGoogle tried to deliver your message, but it was rejected by the server.\nThe error that the other server returned was:\n550 5.2.2 <a@example.jp>... Mailbox Full\n\n----- Original message -----\n";
        let decoded = decode(&read(raw)).unwrap();
        let d = &decoded.deliveries[0];
        assert_eq!(d.recipient.as_deref(), Some("a@example.jp"));
        assert_eq!(d.status.as_deref(), Some("5.2.2"));
        assert_eq!(d.reply_code.as_deref(), Some("550"));
    }
}
