//! bounce-doctor reads a bounce or delay notice and tells why the mail did not arrive and what
//! to do. The pipeline follows the data:
//!
//! 1. [`message`] reads the message (MIME, transfer encodings, charsets) or pasted text;
//! 2. [`decode`] finds the deliveries the report speaks of (RFC 3464, then per-format decoders);
//! 3. [`classify`] decides each delivery's reason from a table of phrases;
//! 4. [`reputation`] recognises blocklist and reputation blocks and the sender's IP;
//! 5. [`advice`] plans the steps;
//! 6. [`render`] writes the report for people, in the languages of [`i18n`].
//!
//! The core is pure: no I/O, no clock. [`diagnose`] is the one entry point.

pub mod advice;
pub mod authentication;
pub mod charset;
pub mod classify;
pub mod decode;
pub mod dsn;
pub mod i18n;
pub mod mbox;
pub mod message;
pub mod msg;
pub mod pattern;
pub mod render;
pub mod report;
pub mod reputation;
pub mod smtp;
pub mod time;

#[cfg(target_arch = "wasm32")]
mod web;

pub use i18n::Lang;
pub use report::{Action, Advice, AdviceId, Blocklist, Delivery, Kind, Note, Reason, Report};

/// `items` in order of `rank`, equal ranks in their given order. Every caller sorts the same
/// `(rank, index)` keys, so the page's wasm carries one sort, not one per item type.
pub(crate) fn sort_by_rank<T>(items: Vec<T>, rank: impl Fn(&T) -> (u8, usize)) -> Vec<T> {
    let mut keys: Vec<((u8, usize), usize)> = items.iter().enumerate().map(|(index, item)| (rank(item), index)).collect();
    // The index makes each key unique: the unstable sort gives the stable order.
    keys.sort_unstable();
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    keys.into_iter().filter_map(|(_, index)| slots[index].take()).collect()
}

/// Compiles part `part` of the rule tables' patterns ahead of use; false once `part` is past the
/// last. The page calls it part by part in idle time after loading, so its first diagnosis does
/// not wait for the compiles (each part is one table or one row, short enough not to hold up the
/// user's input). Compiling ahead changes no result: every pattern also compiles on first use.
pub fn prepare(part: usize) -> bool {
    let parts: [(usize, fn(usize)); 3] = [
        (1, |_| {
            message::prepare();
            decode::text::prepare();
            authentication::prepare();
        }),
        (reputation::prepare_parts(), reputation::prepare),
        (classify::rows(), classify::prepare),
    ];
    let mut part = part;
    for (count, prepare) in parts {
        if part < count {
            prepare(part);
            return true;
        }
        part -= count;
    }
    false
}

/// Whether a notice says its server gave the message up because it had been queued too long:
/// Sendmail's "Message could not be delivered for 5 days" (its savemail.c queue return; seen in
/// sisimai's lhost-sendmail-12 and -54), in the notice's lowercase copy.
fn gave_up_for_time(lower_notice: &str) -> bool {
    lower_notice.contains("message could not be delivered for ")
}

/// Diagnoses one raw message (an .eml file, or text pasted from a bounce).
pub fn diagnose(raw: &[u8]) -> Report {
    let mail = message::read(raw);
    let (mail, decoded) = match decode::decode(&mail) {
        Some(decoded) => (mail, decoded),
        // A person's letter quoting a notice: the quoted notice is the report, when its lines
        // hold a recipient with the server's reply code (the structure, not a sentence).
        None => match message::quoted_notice(&mail).and_then(|quoted| decode::decode(&quoted).filter(decode::names_a_coded_recipient).map(|d| (quoted, d))) {
            Some(found) => found,
            None => return Report { source: None, kind: Kind::NotABounce, deliveries: Vec::new(), advice: Vec::new(), decoded_by: None, notes: mail.notes, omitted_deliveries: 0 },
        },
    };
    let notice = decode::notice_text(&mail);
    let retry_until = decoded
        .arrival
        .as_deref()
        .zip(time::retry_limit_hours(notice))
        .and_then(|(arrival, hours)| time::add_hours(arrival, hours))
        .or_else(|| {
            // "...for the next 1 days, 19 hours": counted from when the notice was written.
            let written = mail.header("date").and_then(time::parse_to_rfc3339)?;
            time::add_minutes(&written, time::retry_remaining_minutes(notice)?)
        });
    let context = reputation::Context::of(&mail, notice);
    let mut deliveries = decoded.deliveries;
    let omitted_deliveries = deliveries.len().saturating_sub(report::MAX_DELIVERIES);
    deliveries.truncate(report::MAX_DELIVERIES);
    for diagnostic in deliveries.iter_mut().filter_map(|d| d.diagnostic.as_mut()) {
        report::cap_diagnostic(diagnostic);
    }
    for delivery in &mut deliveries {
        if delivery.reason == Reason::Undefined {
            let decision = classify::decide(&classify::Facts {
                diagnostic: delivery.diagnostic.as_deref().unwrap_or(""),
                status: delivery.status.as_deref(),
                reply_code: delivery.reply_code.as_deref(),
                command: delivery.smtp_command.as_deref(),
                action: delivery.action,
                remark: delivery.mta_remark.as_deref(),
                after_acceptance: delivery.after_acceptance,
                pasted: decoded.decoded_by == "fragment",
                gave_up_for_time: delivery.gave_up_for_time || (delivery.action == Some(Action::Failed) && gave_up_for_time(decode::notice_lower(&mail))),
            });
            delivery.reason = decision.reason;
            delivery.evidence = decision.evidence;
        }
        reputation::recognise(delivery, &context);
        // A notice that says the mail came back is returned even with a 4xx inside; a pasted
        // reply alone says nothing of it.
        delivery.notice = (decoded.decoded_by != "fragment").then_some(decoded.kind);
        delivery.cause = advice::finer_cause(delivery).map(str::to_owned).or(delivery.cause.take());
        if delivery.reason == Reason::AuthFailure || authentication::is_auth_status(delivery.status.as_deref()) {
            delivery.authentication = delivery.diagnostic.as_deref().and_then(|diagnostic| authentication::read_notice(diagnostic, notice));
        }
        delivery.hard_bounce = classify::is_hard_bounce(delivery.reason, delivery.status.as_deref(), delivery.reply_code.as_deref());
        if delivery.retry_until.is_none() && delivery.action == Some(Action::Delayed) {
            delivery.retry_until.clone_from(&retry_until);
        }
        if delivery.retry_until.is_none() && advice::still_retrying(delivery) {
            // No date to count from: the stated period is still better than a general default.
            delivery.retry_left_minutes = time::retry_remaining_minutes(notice);
        }
    }
    let advice = advice::plan(decoded.kind, &deliveries);
    Report { source: None, kind: decoded.kind, deliveries, advice, decoded_by: Some(decoded.decoded_by.to_owned()), notes: mail.notes, omitted_deliveries }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_compiles_every_table_in_parts_and_then_stops() {
        // Every part runs (a pattern that does not compile panics), and the parts end.
        let parts = (0..).take_while(|&part| prepare(part)).count();
        assert_eq!(parts, 1 + reputation::prepare_parts() + classify::rows());
        assert!(!prepare(parts + 1));
    }

    /// A Postfix notice (bounce(5): `<rcpt>: host NAME[IP] said: REPLY (in reply to CMD
    /// command)`) holding `paragraph`, pasted with one line break at byte `at` (a space).
    fn postfix_notice(paragraph: &str, at: Option<usize>) -> Vec<u8> {
        let text = match at {
            Some(at) => format!("{}\n{}", &paragraph[..at], &paragraph[at + 1..]),
            None => paragraph.to_owned(),
        };
        format!("From: MAILER-DAEMON@a.example\nSubject: Undelivered Mail Returned to Sender\n\nThis is the mail system at host a.example.\n\n{text}\n").into_bytes()
    }

    #[test]
    fn a_reflowed_postfix_reply_gives_the_same_report_wherever_it_is_broken() {
        let replies = [
            // Trend Micro ERS, Spamhaus, and Microsoft's 4.7.650 (IP reputation rate limit), each
            // as a remote reply in Postfix's paragraph.
            "<hanako@b.example>: host mx.b.example[198.51.100.7] said: 450 4.7.1 Service temporarily unavailable; Client host [203.0.113.5] blocked using Trend Micro Network Anti-Spam Service (in reply to RCPT TO command)",
            "<hanako@b.example>: host mx.b.example[198.51.100.7] said: 554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org (in reply to RCPT TO command)",
            "<hanako@b.example>: host b-example.mail.protection.outlook.com[198.51.100.57] said: 451 4.7.650 The mail server [192.0.2.157] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) (in reply to MAIL FROM command)",
        ];
        for paragraph in replies {
            let whole = diagnose(&postfix_notice(paragraph, None));
            let expected = &whole.deliveries[0];
            assert!(expected.blocklist.is_some() && expected.status.is_some(), "{paragraph}");
            // Between `host` and the name, between the name and `said:`, and at every other space.
            for (at, _) in paragraph.match_indices(' ') {
                let report = diagnose(&postfix_notice(paragraph, Some(at)));
                let got = &report.deliveries[0];
                let cut = &paragraph[..at];
                assert_eq!((got.reason, &got.status, &got.reply_code, &got.smtp_command), (expected.reason, &expected.status, &expected.reply_code, &expected.smtp_command), "{cut}");
                assert_eq!(got.blocklist.as_ref().map(|b| (&b.provider, &b.ip)), expected.blocklist.as_ref().map(|b| (&b.provider, &b.ip)), "{cut}");
                assert_eq!(got.diagnostic, expected.diagnostic, "{cut}");
                // The evidence spans the same words of the diagnostic.
                let span = |d: &Delivery| d.evidence.as_ref().map(|e| d.diagnostic.as_deref().unwrap_or("")[e.start..e.end].to_owned());
                assert_eq!(span(got), span(expected), "{cut}");
            }
        }
    }

    #[test]
    fn a_delay_that_says_how_long_it_keeps_trying_gets_a_deadline_from_its_date() {
        let raw = b"From: Microsoft Outlook <postmaster@a.example>\nSubject: Delivery delayed: hi\nDate: Fri, 27 Nov 2026 10:00:00 +0900\n\nDelivery is delayed to these recipients or groups:\n\nhanako@b.example\n\nThe server will keep trying to deliver this message for the next 1 days, 19 hours and 57 minutes.\n\nhanako@b.example\nRemote Server returned '451 4.7.1 Service unavailable; Client host [203.0.113.5] blocked using Trend Micro Network Anti-Spam Service'\n";
        let report = diagnose(raw);
        assert_eq!(report.kind, Kind::Delay);
        assert_eq!(report.deliveries[0].retry_until.as_deref(), Some("2026-11-29T05:57:00+09:00"));
        assert_eq!(report.deliveries[0].retry_left_minutes, None, "a deadline makes the period redundant");
    }

    #[test]
    fn a_letter_quoting_a_notice_is_read_as_the_notice() {
        // A forward whose header lines are in the mail client's language (not `From:`), the
        // notice quoted with `> `; and the same quoted twice (`>> `).
        for quote in ["> ", ">> ", "> > "] {
            let notice = ["転送メッセージ", "差出人: MAILER-DAEMON@a.example", "", "<kai@b.example>: host mx.b.example[198.51.100.7]", "    said: 550 5.1.1 User unknown (in reply to RCPT TO command)"];
            let quoted: Vec<String> = notice.iter().map(|l| format!("{quote}{l}").trim_end().to_owned()).collect();
            let raw = format!("From: Ken <ken@a.example>\nTo: help@a.example\nSubject: help\n\nThis came back:\n\n{}\n", quoted.join("\n"));
            let report = diagnose(raw.as_bytes());
            assert_eq!(report.kind, Kind::Bounce, "{quote}");
            assert_eq!(report.deliveries[0].recipient.as_deref(), Some("kai@b.example"));
            assert_eq!(report.deliveries[0].reason, Reason::UserUnknown);
        }
        // A letter quoting a letter that only mentions a reply in a sentence stays a letter.
        let letter = b"From: Ken <ken@a.example>\nTo: mika@b.example\nSubject: old address\n\nNoted.\n\n> My old address gives 550 5.1.1 User unknown now.\n> Use this one.\n";
        assert_eq!(diagnose(letter).kind, Kind::NotABounce);
    }
}
