//! The generic reader: a notice in no format we know, or text pasted without headers. It looks
//! for the shapes most mail systems share: `<rcpt>: ... said: NNN ...` (Postfix-like),
//! `<rcpt>... Deferred: ...` (Sendmail-like), `<<< NNN ...` transcripts, and a bare SMTP reply.

use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::decode::{Decoded, clean_address, complete_from_diagnostic, join_lines};
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind};
use crate::smtp;

/// Lines after which the returned original message starts; nothing below is the notice.
const RETURNED_MARKERS: &[&str] = &[
    "----- original message",
    "------ this is a copy of the message",
    "--- below this line is a copy of the message",
    "content-type: message/rfc822",
    "original message follows",
    "returned mail follows",
    "----- unsent message follows",
    "----- message header follows",
    "--- the header of the original message",
    "-------original message",
];

/// Words that say the server is still trying.
const DELAY_MARKERS: &[&str] = &[
    "warning message only",
    "do not need to resend",
    "will keep trying",
    "still being retried",
    "will be retried",
    "delivery delayed",
    "message delayed",
    "has been delayed",
    "delivery incomplete",
    "deferred:",
    "still undelivered",
];

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let notice = notice_part(&mail.body);
    let mut deliveries = recipient_blocks(notice);
    if deliveries.is_empty() {
        let labelled = labelled_recipients(notice);
        let reply = bare_reply(notice);
        match (labelled.as_slice(), reply) {
            // `宛先: rcpt` and, elsewhere, the server's reply: one delivery.
            ([one], Some(reply)) => deliveries.push(Delivery { recipient: one.recipient.clone(), ..reply }),
            (_, reply) if labelled.is_empty() => deliveries.extend(reply),
            _ => deliveries.extend(labelled),
        }
    }
    let lower = notice.to_ascii_lowercase();
    if let [only] = deliveries.as_mut_slice() {
        if only.recipient.is_none() {
            // A notice naming one address on a line of its own speaks of that recipient.
            let mut standalone = notice.lines().filter_map(crate::decode::address_line);
            if let (Some(address), None) = (standalone.next(), standalone.next()) {
                only.recipient = Some(address);
            }
        }
        if only.smtp_command.is_none() {
            only.smtp_command = labelled_command(notice, &lower).map(str::to_owned);
        }
    }
    if deliveries.is_empty() {
        for recipient in mail.header("x-failed-recipients").unwrap_or("").split(',').filter_map(crate::decode::first_address) {
            deliveries.push(Delivery { recipient: Some(recipient), ..Delivery::default() });
        }
    }
    if deliveries.is_empty() {
        return None;
    }
    let delayed = is_delay_notice(&lower, mail.subject());
    for delivery in &mut deliveries {
        complete_from_diagnostic(delivery);
        if delivery.action.is_none() {
            delivery.action = if delayed {
                Some(Action::Delayed)
            } else if mail.is_fragment {
                None
            } else {
                Some(Action::Failed)
            };
        }
    }
    let kind = if delayed { Kind::Delay } else { Kind::Bounce };
    let decoded_by = if mail.is_fragment { "fragment" } else { "text" };
    Some(Decoded { kind, deliveries, decoded_by, arrival: crate::time::arrival_in_text(notice) })
}

/// True when the notice says the server keeps trying.
pub fn is_delay_notice(lower_notice: &str, subject: &str) -> bool {
    let subject = subject.to_ascii_lowercase();
    DELAY_MARKERS.iter().any(|m| lower_notice.contains(m))
        || subject.contains("delayed")
        || subject.contains("warning")
        || subject.contains("delivery status notification (delay)")
}

/// The notice without the returned message appended to it.
pub fn notice_part(body: &str) -> &str {
    let lower = body.to_ascii_lowercase();
    let cut = RETURNED_MARKERS.iter().filter_map(|m| lower.find(m)).min().unwrap_or(body.len());
    &body[..cut]
}

fn recipient_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::compile(r"(?m)(?:^[ \t]*<?([^<>\s@]+@[^<>\s]+?)>?|[ \t]<([^<>\s@]+@[^<>\s]+?)>)(?: \(expanded from[^)]*\))?(?::|\.\.\.)[ \t]*(.*)$")
    })
}

/// `<rcpt>: text` / `<rcpt>... text` lines, each with its indented continuation lines.
pub(crate) fn recipient_blocks(notice: &str) -> Vec<Delivery> {
    let mut deliveries: Vec<Delivery> = Vec::new();
    for caps in recipient_line().captures_iter(notice.as_bytes()) {
        let address = caps.get(1).or_else(|| caps.get(2)).map_or(String::new(), |m| crate::pattern::as_text(m.as_bytes()));
        let Some(recipient) = clean_address(&address) else { continue };
        let whole = caps.get(0).expect("match");
        let first = caps.get(3).map_or(String::new(), |m| crate::pattern::as_text(m.as_bytes()));
        let mut lines = vec![first.as_str()];
        let (_, end) = crate::pattern::char_span(notice, whole.end(), whole.end());
        // A bare `<rcpt>:` line is followed by its paragraph, indented or not.
        let bare = first.trim().is_empty();
        for line in notice[end..].split('\n').skip(1) {
            let paragraph_line = bare && crate::decode::address_line(line).is_none();
            if (line.starts_with([' ', '\t']) || paragraph_line) && !line.trim().is_empty() {
                lines.push(line);
            } else {
                break;
            }
        }
        let text = join_lines(lines);
        let diagnostic = after_said(&text).to_owned();
        if let Some(existing) = deliveries.iter_mut().find(|d| d.recipient.as_deref() == Some(recipient.as_str())) {
            // Sendmail names a recipient twice: once in the transcript, once with the verdict.
            if smtp::find_reply_code(&diagnostic).is_some() && existing.diagnostic.as_deref().is_none_or(|d| smtp::find_reply_code(d).is_none()) {
                existing.diagnostic = Some(diagnostic);
            }
            continue;
        }
        let diagnostic = if diagnostic.is_empty() { None } else { Some(diagnostic) };
        deliveries.push(Delivery { recipient: Some(recipient), diagnostic, ..Delivery::default() });
    }
    // A transcript reply (`<<< 550 ...`) is the server's own words: prefer it.
    if deliveries.len() == 1 {
        if let Some(reply) = transcript_reply(notice) {
            deliveries[0].diagnostic = Some(reply);
        }
    }
    deliveries
}

/// `Unknown user: a@example.com` lines: a few words of reason, then the address.
fn labelled_recipients(notice: &str) -> Vec<Delivery> {
    notice
        .lines()
        .filter_map(|line| {
            let (label, address) = line.trim().rsplit_once(": ")?;
            let recipient = crate::decode::address_line(address)?;
            let words = label.split_whitespace().count();
            // A single ASCII word is a header field name (`To:`, `Message-ID:`), not a reason.
            let header_like = words == 1 && label.trim().is_ascii();
            ((1..=6).contains(&words) && !header_like && !label.contains('@')).then(|| Delivery {
                recipient: Some(recipient),
                diagnostic: Some(label.trim().to_owned()),
                ..Delivery::default()
            })
        })
        .filter(|d| d.diagnostic.as_deref().is_some_and(|l| !MESSAGE_LABELS.iter().any(|m| l.eq_ignore_ascii_case(m))))
        .collect()
}

/// Labels of the returned message's summary, which name addresses without a reason.
const MESSAGE_LABELS: &[&str] = &["to", "from", "cc", "reply-to", "sender", "return-path", "delivered-to", "x-original-to", "original recipient", "recipient", "envelope-to"];

/// A command named under an `SMTP command` label (m-FILTER and others list it on the next line).
fn labelled_command<'a>(notice: &str, lower: &str) -> Option<&'static str> {
    let at = lower.find("smtp command")?;
    let next = notice[at..].lines().skip(1).map(str::trim).find(|l| !l.is_empty())?;
    let word = next.split_whitespace().next()?.to_ascii_uppercase();
    ["HELO", "EHLO", "MAIL", "RCPT", "DATA", "STARTTLS", "AUTH"].into_iter().find(|c| word.starts_with(c))
}

/// The text after `said:` (the remote server's words), or all of it.
fn after_said(text: &str) -> &str {
    let lower = text.to_ascii_lowercase();
    match lower.find("said:") {
        Some(pos) => text[pos + 5..].trim(),
        None => text.trim_start_matches(|c: char| c == '.' || c.is_whitespace()),
    }
}

/// The first `<<< NNN` reply of a session transcript, continuation replies joined.
fn transcript_reply(notice: &str) -> Option<String> {
    let lines: Vec<&str> = notice.lines().map(str::trim).filter(|l| l.starts_with("<<<")).map(|l| l.trim_start_matches('<').trim()).collect();
    let first = lines.iter().position(|l| smtp::find_reply_code(l).is_some_and(|c| !c.starts_with('2')))?;
    Some(join_lines(lines[first..].iter().copied().take_while(|l| smtp::find_reply_code(l).is_some())))
}

/// A notice that names no recipient: the paragraph holding the first 4xx/5xx reply.
fn bare_reply(notice: &str) -> Option<Delivery> {
    let paragraphs = notice.split("\n\n");
    for paragraph in paragraphs {
        let flat = join_lines(paragraph.lines());
        let text = after_said(&flat);
        if let Some(code) = smtp::find_reply_code(text) {
            if code.starts_with('2') {
                continue;
            }
            let start = text.find(code).unwrap_or(0);
            return Some(Delivery { diagnostic: Some(text[start..].to_owned()), ..Delivery::default() });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn postfix_like_block_with_continuations() {
        let mail = read(b"Subject: Undelivered Mail Returned to Sender\nFrom: MAILER-DAEMON@a.example\n\n<hanako@partner.example.com>: host mx.partner.example.com[198.51.100.25] said:\n    554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using\n    zen.spamhaus.org (in reply to RCPT TO command)\n");
        let decoded = decode(&mail).unwrap();
        assert_eq!(decoded.kind, Kind::Bounce);
        let d = &decoded.deliveries[0];
        assert_eq!(d.recipient.as_deref(), Some("hanako@partner.example.com"));
        assert_eq!(d.reply_code.as_deref(), Some("554"));
        assert_eq!(d.status.as_deref(), Some("5.7.1"));
        assert_eq!(d.smtp_command.as_deref(), Some("RCPT"));
        assert!(d.diagnostic.as_deref().unwrap().starts_with("554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org"));
        assert_eq!(d.action, Some(Action::Failed));
    }

    #[test]
    fn pasted_reply_without_recipient() {
        let mail = read(b"said: 450 4.7.1 Service temporarily unavailable; Client host [203.0.113.5] blocked\nusing Trend Micro Network Anti-Spam Service.\n");
        let decoded = decode(&mail).unwrap();
        assert_eq!(decoded.decoded_by, "fragment");
        let d = &decoded.deliveries[0];
        assert_eq!(d.recipient, None);
        assert_eq!(d.action, None);
        assert_eq!(d.reply_code.as_deref(), Some("450"));
        assert!(d.diagnostic.as_deref().unwrap().contains("blocked using Trend Micro"));
    }

    #[test]
    fn text_without_any_reply_is_not_decoded() {
        assert_eq!(decode(&read(b"Hello, lunch at noon?\n")), None);
    }
}
