//! The DragonFly Mail Agent (dma): "There was an error delivering your mail to <addr>.", then
//! "HOST [IP] did not like our RCPT TO:" and the server's reply, or dma's own words.

use crate::decode::{Decoded, clean_address, complete_from_diagnostic, join_lines};
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind};

const OPENING: &str = "there was an error delivering your mail to ";

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let body = &mail.body;
    let lower = &mail.lower_body;
    if !lower.contains("dragonfly mail agent") && !lower.contains(OPENING) {
        return None;
    }
    let mut deliveries = Vec::new();
    let mut rest = &lower[..];
    let mut offset = 0;
    while let Some(at) = rest.find(OPENING) {
        let start = offset + at + OPENING.len();
        let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
        let recipient = clean_address(body[start..line_end].trim().trim_end_matches('.'));
        let section_end = lower[line_end..].find("message headers follow").map_or(body.len(), |i| line_end + i);
        let section = &body[line_end..section_end];
        let lines: Vec<&str> = section.lines().map(str::trim).skip_while(|l| l.is_empty()).take_while(|l| !l.is_empty()).collect();
        let (remote_mta, command, words) = match lines.split_first() {
            Some((first, replies)) if first.to_ascii_lowercase().contains("did not like our") => {
                (first.split_whitespace().next().map(str::to_owned), dma_command(first), replies.to_vec())
            }
            _ => (None, None, lines),
        };
        let diagnostic = join_lines(words);
        let mut delivery = Delivery {
            recipient,
            action: Some(Action::Failed),
            diagnostic: (!diagnostic.is_empty()).then_some(diagnostic),
            remote_mta,
            smtp_command: command.map(str::to_owned),
            ..Delivery::default()
        };
        complete_from_diagnostic(&mut delivery);
        deliveries.push(delivery);
        offset = section_end;
        rest = &lower[section_end..];
    }
    if deliveries.is_empty() {
        return None;
    }
    Some(Decoded { kind: Kind::Bounce, deliveries, decoded_by: "dragonfly", arrival: None })
}

/// "did not like our RCPT TO:", "... our final DATA:", "... our MAIL FROM:".
fn dma_command(line: &str) -> Option<&'static str> {
    let upper = line.to_ascii_uppercase();
    let at = upper.find("DID NOT LIKE OUR ")? + "DID NOT LIKE OUR ".len();
    let what = upper[at..].trim_start_matches("FINAL ");
    crate::smtp::leading_command(what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn dma_notice() {
        let raw = b"From: MAILER-DAEMON <>\nSubject: Mail delivery failed\n\nThis is the DragonFly Mail Agent v0.13 at df.example.jp.\n\nThere was an error delivering your mail to <a@example.net>.\n\nmx.example.net [192.0.2.25] did not like our RCPT TO:\n550 5.1.1 <a@example.net>: Recipient address rejected:\nUser unknown\n\nMessage headers follow.\n\nSubject: x\n";
        let decoded = decode(&read(raw)).unwrap();
        let d = &decoded.deliveries[0];
        assert_eq!(d.recipient.as_deref(), Some("a@example.net"));
        assert_eq!(d.smtp_command.as_deref(), Some("RCPT"));
        assert_eq!(d.remote_mta.as_deref(), Some("mx.example.net"));
        assert_eq!(d.status.as_deref(), Some("5.1.1"));
        assert!(d.diagnostic.as_deref().unwrap().ends_with("rejected: User unknown"));
    }
}
