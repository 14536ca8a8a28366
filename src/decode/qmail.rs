//! qmail's notice ("Hi. This is the qmail-send program at ..."): each address as `<addr>:` on a
//! line of its own, then the paragraph that says what happened. qmail's own fixed sentences
//! carry their reason; a remote server's words are classified like any other.

use crate::decode::{Continuation, Decoded, address_blocks, complete_from_diagnostic, join_lines};
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind, Reason};

const SIGNATURES: &[&str] = &[
    "this is the qmail-send program",
    "i'm afraid i wasn't able to deliver your message",
    "--- below this line is a copy of the message",
    "i'm not going to try again",
];

/// The sentences qmail itself writes, and what they mean.
const OWN_SENTENCES: &[(&str, Reason)] = &[
    ("couldn't find a mail exchanger or ip address", Reason::NotAccept),
    ("couldn't find any host named", Reason::HostUnknown),
    ("couldn't find any host by that name", Reason::HostUnknown),
    ("no mailbox here by that name", Reason::UserUnknown),
    ("wasn't able to establish an smtp connection", Reason::NetworkError),
    ("unable to contact ldap server", Reason::SystemError),
    ("account is locked email bounced", Reason::Suspend),
    ("message is looping", Reason::NetworkError),
];

/// Boilerplate lines about qmail's own retries, which would read as a reason of their own.
const BOILERPLATE: &[&str] = &["i'm not going to try again", "giving up on ", "(other mxes tried", "this message has been in the queue too long"];

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let body = &mail.body;
    let lower_head = body.get(..body.len().min(4096)).map(str::to_ascii_lowercase).unwrap_or_else(|| body.to_ascii_lowercase());
    if !SIGNATURES.iter().any(|s| lower_head.contains(s)) {
        return None;
    }
    // qmail-send's own notice; other systems (X2) borrow its layout but not its sentence table.
    let from_qmail_send = lower_head.contains("qmail-send program") || lower_head.contains("i've given up");
    let notice = cut_before_copy(body, &mail.lower_body);
    let lower = notice.to_ascii_lowercase();
    let delayed = lower.contains("this is a temporary error") || lower.contains("i'll keep trying") || lower.contains("still undeliverable");
    let start = lower.find("following addresses").unwrap_or(0);
    let mut deliveries = Vec::new();
    for block in address_blocks(&notice[start..], Continuation::Paragraph) {
        let words: Vec<&str> = block
            .lines
            .iter()
            .copied()
            .filter(|l| {
                let l = l.to_ascii_lowercase();
                !BOILERPLATE.iter().any(|b| l.starts_with(b))
            })
            .collect();
        let text = join_lines(words.iter().copied());
        let lower_text = text.to_ascii_lowercase();
        let own = if !from_qmail_send && block.lines.iter().any(|l| l.to_ascii_lowercase().contains("in the queue too long")) {
            // The system gave up retrying a temporary failure: the verdict is the expiry.
            Some(Reason::Expired)
        } else {
            OWN_SENTENCES.iter().find(|(s, _)| lower_text.contains(s)).map(|&(_, r)| r)
        };
        let diagnostic = match lower_text.find("said:") {
            Some(at) => text[at + 5..].trim().to_owned(),
            None => text.clone(),
        };
        let mut delivery = Delivery {
            recipient: Some(block.recipient),
            action: Some(if delayed { Action::Delayed } else { Action::Failed }),
            smtp_command: qmail_command(&lower_text).map(str::to_owned),
            diagnostic: (!diagnostic.is_empty()).then_some(diagnostic),
            reason: own.unwrap_or_default(),
            ..Delivery::default()
        };
        complete_from_diagnostic(&mut delivery);
        if delivery.status.is_none() {
            delivery.status = crate::smtp::find_status(&text).map(str::to_owned);
        }
        deliveries.push(delivery);
    }
    if deliveries.is_empty() {
        return None;
    }
    let kind = if delayed { Kind::Delay } else { Kind::Bounce };
    Some(Decoded { kind, deliveries, decoded_by: "qmail", arrival: None })
}

/// The notice up to the copy of the message.
fn cut_before_copy<'a>(body: &'a str, lower: &str) -> &'a str {
    let cut = ["--- below this line is a copy of the message", "--- enclosed is a copy of the message", "--- below this line is the original message"]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .unwrap_or(body.len());
    &body[..cut]
}

/// The SMTP step qmail says failed.
fn qmail_command(lower: &str) -> Option<&'static str> {
    if lower.contains("does not like recipient") || lower.contains("most progress was rcpt") {
        Some("RCPT")
    } else if lower.contains("sender was rejected") || lower.contains("most progress was mail") {
        Some("MAIL")
    } else if lower.contains("didn't like the message") || lower.contains("failed after i sent the message") || lower.contains("most progress was data") {
        Some("DATA")
    } else if lower.contains("my name was rejected") {
        Some("HELO")
    } else if lower.contains("greeting failed") {
        Some("CONN")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn qmail_paragraphs_and_own_sentences() {
        let raw = b"From: MAILER-DAEMON@q.example\nSubject: failure notice\n\nHi. This is the qmail-send program at q.example.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<a@example.jp>:\n192.0.2.153 does not like recipient.\nRemote host said: 550 5.1.1 <a@example.jp>... User Unknown\nGiving up on 192.0.2.153.\n\n<b@example.jp>:\nSorry, I couldn't find any host named example.jp. (#5.1.2)\n\n--- Below this line is a copy of the message.\n";
        let decoded = decode(&read(raw)).unwrap();
        assert_eq!(decoded.decoded_by, "qmail");
        let [first, second] = &decoded.deliveries[..] else { panic!("two deliveries expected") };
        assert_eq!(first.smtp_command.as_deref(), Some("RCPT"));
        assert_eq!(first.reply_code.as_deref(), Some("550"));
        assert_eq!(first.status.as_deref(), Some("5.1.1"));
        assert_eq!(second.reason, Reason::HostUnknown);
        assert_eq!(second.status.as_deref(), Some("5.1.2"));
    }
}
