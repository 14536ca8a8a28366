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

/// How reporting MTAs say, in their own notice text (not in the remote server's reply), that they
/// gave the message up because it had been queued too long. Read once per notice, lowercase.
const GAVE_UP_FOR_TIME: &[&str] = &[
    // Sendmail's queue return (savemail.c; seen in sisimai's lhost-sendmail-12 and -54).
    "message could not be delivered for ",
    // qmail-send appends this to a temporary failure once the message has outlived
    // queuelifetime and the failure is made permanent (qmail-send.c, the `flagdying` branch;
    // seen in sisimai's lhost-qmail-05, -06 and -07).
    "this message has been in the queue too long",
    // Exchange 2007 and later, above the last reply of a message it retried until expiry
    // ("... has been trying to deliver this message without success and has stopped trying";
    // seen in sisimai's lhost-exchange2007-05 and in Exchange 2007 and 2016 NDRs posted on
    // pastebin.com/zeZFJvKs and pastebin.com/ZkW4nRAU, each beside "4.4.7 QUEUE.Expired").
    "and has stopped trying",
];

/// Whether a notice says its server gave the message up because it had been queued too long
/// ([`GAVE_UP_FOR_TIME`]), in the notice's lowercase copy.
fn gave_up_for_time(lower_notice: &str) -> bool {
    GAVE_UP_FOR_TIME.iter().any(|mark| contains_words(lower_notice, mark))
}

/// The reason Sendmail puts in its notice's subject, "Returned mail: <the error>" (savemail.c;
/// documented with "Returned mail: User unknown" by the help pages of Westelcom
/// (help.westelcom.com/articles/e-mail_bounce.htm) and the University of Maryland ("Subject:
/// Returned mail: REASON", helpdesk.umd.edu topic 3024), and in Zen and the Art of the Internet
/// §14), other than its "see transcript for details". The reporting MTA's own words: read only
/// when the body names no cause, since the subject names one failure of possibly several.
fn returned_mail_subject_reason(subject: &str) -> Option<&str> {
    let (prefix, rest) = subject.trim().split_at_checked("returned mail:".len())?;
    let reason = rest.trim();
    (prefix.eq_ignore_ascii_case("returned mail:") && !reason.is_empty() && !reason.to_ascii_lowercase().starts_with("see transcript")).then_some(reason)
}

/// Whether `text` holds `phrase`, its single spaces matching any run of whitespace: notices wrap
/// their sentences anywhere (qmail's give-up is split after "this" in lhost-qmail-05).
fn contains_words(text: &str, phrase: &str) -> bool {
    let mut words = phrase.split(' ');
    let first = words.next().unwrap_or_default();
    text.match_indices(first).any(|(at, _)| {
        let mut rest = text.get(at + first.len()..).unwrap_or_default();
        words.clone().all(|word| {
            let trimmed = rest.trim_start();
            let Some(after) = trimmed.strip_prefix(word).filter(|_| trimmed.len() < rest.len()) else { return false };
            rest = after;
            true
        })
    })
}

/// Whether a reading found every recipient it names on the letter's quoted lines. Only the
/// recipients a report keeps are looked for: each look scans the letter, so a quoted list of
/// thousands would take time in the square of its length.
fn read_a_quotation(mail: &message::Mail, decoded: &decode::Decoded) -> bool {
    let mut recipients = decoded.deliveries.iter().filter_map(|d| d.recipient.as_deref()).take(report::MAX_DELIVERIES).peekable();
    recipients.peek().is_some() && recipients.all(|recipient| message::quotes(mail, recipient))
}

/// Diagnoses one raw message (an .eml file, or text pasted from a bounce).
pub fn diagnose(raw: &[u8]) -> Report {
    let mail = message::read(raw);
    let direct = decode::decode(&mail);
    // A letter quoting a notice: the quoted notice, unquoted as a paste of it would be, is the
    // report, when its lines hold a recipient with the server's reply code (the structure, not a
    // sentence). Read so when the letter alone is no notice, or when its reading found its
    // recipients on quoted lines (that reading stops where a quoted continuation line starts),
    // whoever sent it. A delivery-status part is the mail system's own record: such a notice is
    // read as it is.
    let quoted = match &direct {
        None => message::quoted_notice(&mail),
        Some(decoded) if mail.status.is_empty() && read_a_quotation(&mail, decoded) => message::unquoted(&mail),
        Some(_) => None,
    };
    let quoted = quoted.and_then(|quoted| decode::decode(&quoted).filter(decode::names_a_coded_recipient).map(|d| (quoted, d)));
    let (mail, decoded) = match (quoted, direct) {
        (Some(found), _) => found,
        (None, Some(decoded)) => (mail, decoded),
        (None, None) => return Report { source: None, kind: Kind::NotABounce, deliveries: Vec::new(), advice: Vec::new(), decoded_by: None, notes: mail.notes, omitted_deliveries: 0 },
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
    // Read once per notice: the sentence speaks for every failed delivery in it.
    let notice_gave_up_for_time = gave_up_for_time(decode::notice_lower(&mail));
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
                gave_up_for_time: delivery.gave_up_for_time || (delivery.action == Some(Action::Failed) && notice_gave_up_for_time),
            });
            delivery.reason = decision.reason;
            delivery.evidence = decision.evidence;
            if matches!(delivery.reason, Reason::OnHold | Reason::Undefined)
                && let Some(named) = returned_mail_subject_reason(mail.subject()).and_then(classify::reason_named_by)
            {
                delivery.reason = named;
            }
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

    /// qmail-send's failure notice (qmail-send.c) for one recipient, its paragraph `lines`.
    fn qmail_notice(lines: &str) -> String {
        format!("From: MAILER-DAEMON@a.example\nSubject: failure notice\n\nHi. This is the qmail-send program at a.example.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<hanako@b.example>:\n{lines}\n\n--- Below this line is a copy of the message.\n\nSubject: hi\n")
    }

    /// An Exchange NDR (the layout of Exchange 2016's, pastebin.com/ZkW4nRAU) with `intro` above
    /// the last reply `reply`.
    fn exchange_notice(intro: &str, reply: &str) -> String {
        format!("From: Microsoft Outlook <postmaster@a.example>\nSubject: Undeliverable: hi\n\nDelivery has failed to these recipients or groups:\n\nhanako@b.example\n{intro}\n\nDiagnostic information for administrators:\n\nGenerating server: ex1.a.example\n\nhanako@b.example\nRemote Server returned '{reply}'\n\nOriginal message headers:\n\nSubject: hi\n")
    }

    #[test]
    fn an_mta_that_says_in_its_notice_it_gave_up_for_time_makes_a_causeless_reply_expired() {
        // Each notice in two forms: with the MTA's own give-up sentence (its source beside
        // GAVE_UP_FOR_TIME), and without it, where the same reply is no expiry.
        let qmail = "Remote host said: 451 mx.b.example closing connection";
        let qmail_gave_up = "I'm not going to try again; this\nmessage has been in the queue too long.";
        let exchange_reply = "451 4.4.0 Message failed to be delivered to the target host";
        let exchange_gave_up = "The server has tried to deliver this message, without success, and has stopped trying.";
        let exchange_2007 = "Microsoft Exchange has been trying to deliver this message without success and has stopped trying.";
        let cases = [
            ("qmail-send, wrapped as in lhost-qmail-05", qmail_notice(&format!("{qmail}\n{qmail_gave_up}")), qmail_notice(qmail)),
            ("Exchange 2016", exchange_notice(exchange_gave_up, exchange_reply), exchange_notice("", exchange_reply)),
            ("Exchange 2007", exchange_notice(exchange_2007, exchange_reply), exchange_notice("", exchange_reply)),
        ];
        for (which, gave_up, kept) in cases {
            let delivery = &diagnose(gave_up.as_bytes()).deliveries[0];
            assert_eq!((delivery.reason, delivery.action), (Reason::Expired, Some(Action::Failed)), "{which}");
            assert_ne!(diagnose(kept.as_bytes()).deliveries[0].reason, Reason::Expired, "{which} without its give-up");
        }
    }

    #[test]
    fn sendmails_subject_names_the_cause_only_when_the_body_names_none() {
        let notice = |subject: &str, listed: &str| {
            format!("From: Mail Delivery Subsystem <MAILER-DAEMON@b.example>\nSubject: {subject}\n\nThe following recipients did not receive this message:\n\n     <{listed}>\n\nPlease reply to postmaster@b.example if you feel this message to be in error.\n")
        };
        let reason = |text: String| diagnose(text.as_bytes()).deliveries[0].reason;
        assert_eq!(reason(notice("Returned mail: User unknown", "gina@b.example")), Reason::UserUnknown);
        assert_eq!(reason(notice("Returned mail: Host unknown (Name server: b.example: host not found)", "gina@b.example")), Reason::HostUnknown);
        // Sendmail's subject when the transcript tells, a person's reply and a subject naming
        // nothing leave the reason open.
        for subject in ["Returned mail: see transcript for details", "Re: Returned mail: User unknown", "Returned mail:"] {
            assert!(matches!(reason(notice(subject, "gina@b.example")), Reason::OnHold | Reason::Undefined), "{subject}");
        }
        // The body's words decide over the subject's.
        let full = "From: MAILER-DAEMON@b.example\nSubject: Returned mail: User unknown\n\n   ----- The following addresses had permanent fatal errors -----\n<hana@b.example>\n    (reason: 552 5.2.2 Mailbox full)\n";
        assert_eq!(diagnose(full.as_bytes()).deliveries[0].reason, Reason::MailboxFull);
    }

    #[test]
    fn a_reply_that_names_a_cause_keeps_it_beside_a_give_up_for_time() {
        let qmail = qmail_notice("Remote host said: 451 4.2.2 <hanako@b.example>... Mailbox Full\nI'm not going to try again; this message has been in the queue too long.");
        assert_eq!(diagnose(qmail.as_bytes()).deliveries[0].reason, Reason::MailboxFull);
        // Exim writes its give-up after the reply, in the same words (classify's Expired row).
        let exim = "From: Mail Delivery System <Mailer-Daemon@a.example>\nSubject: Mail delivery failed: returning message to sender\n\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  hanako@b.example\n    host mx.b.example [198.51.100.7]\n    SMTP error from remote mail server after RCPT TO:<hanako@b.example>:\n    REPLY:\n    retry timeout exceeded\n\n------ This is a copy of the message, including all the headers. ------\n\nSubject: hi\n";
        let exim_with = |reply| diagnose(exim.replace("REPLY", reply).as_bytes()).deliveries[0].reason;
        assert_eq!(exim_with("452 4.2.2 The email account that you tried to reach is over quota"), Reason::MailboxFull);
        assert_eq!(exim_with("450 4.1.1 <hanako@b.example>: Recipient address rejected: User unknown in local recipient table"), Reason::UserUnknown);
        assert_eq!(exim_with("421 4.4.2 mx.b.example closing connection"), Reason::Expired, "a reply that names nothing");
        let exchange = exchange_notice("The server has tried to deliver this message, without success, and has stopped trying.", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found");
        assert_eq!(diagnose(exchange.as_bytes()).deliveries[0].reason, Reason::UserUnknown);
    }

    #[test]
    fn a_give_up_sentence_is_found_across_any_whitespace_but_not_in_other_words() {
        assert!(gave_up_for_time("i'm not going to try again; this\n  message has been in the queue\ttoo long."));
        assert!(gave_up_for_time("message could not be delivered for 5 days"));
        assert!(!gave_up_for_time("message could not be delivered for"), "the sentence goes on after `for`");
        assert!(!gave_up_for_time("this message has been in the queue for 4 hours; i'll keep trying"));
        assert!(!contains_words("has stoppedtrying", "has stopped trying"));
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

    /// One delivery's recipient, reason, status, reply code, diagnostic and blocklist (provider, IP).
    type Essentials = (Option<String>, Reason, Option<String>, Option<String>, Option<String>, Option<(String, Option<String>)>);

    /// The report of `report` without what depends on how it was given.
    fn essentials(report: &Report) -> Vec<Essentials> {
        report.deliveries.iter().map(|d| (d.recipient.clone(), d.reason, d.status.clone(), d.reply_code.clone(), d.diagnostic.clone(), d.blocklist.as_ref().map(|b| (b.provider.clone(), b.ip.clone())))).collect()
    }

    #[test]
    fn a_reply_quoting_a_notice_gives_the_report_the_notice_pasted_alone_gives() {
        // Postfix's remote-reply paragraph, its reply wrapped onto indented continuation lines.
        let notice = ["This is the mail system at host a.example.", "", "<kai@b.example>: host mx.b.example[198.51.100.7]", "    said: 554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked", "    using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.9", "    (in reply to RCPT TO command)"];
        let alone = diagnose(notice.join("\n").as_bytes());
        assert_eq!(alone.deliveries[0].blocklist.as_ref().and_then(|b| b.ip.as_deref()), Some("192.0.2.9"));
        // Quote marks as mail clients write them, every level; the client's "wrote:" line, and
        // the person's own words naming the recipient too; a null Return-Path; CRLF line ends.
        for quote in ["> ", ">", ">> ", "> > "] {
            let quoted: Vec<String> = notice.iter().map(|l| format!("{quote}{l}").trim_end().to_owned()).collect();
            for intro in ["This came back:", "My mail to kai@b.example came back.\n\nOn Tue, 24 Nov 2026 at 09:31, Mail Delivery System <MAILER-DAEMON@a.example> wrote:"] {
                let raw = format!("From: Ken <ken@a.example>\nTo: help@a.example\nSubject: Re: returned\n\n{intro}\n{}\n", quoted.join("\n"));
                for raw in [raw.clone(), raw.replace('\n', "\r\n")] {
                    assert_eq!(essentials(&diagnose(raw.as_bytes())), essentials(&alone), "{quote:?} {raw:?}");
                }
            }
        }
        // A reply that carries a null reverse-path, as if a mail system sent it, is read from
        // the quotation all the same when its reading found the recipient there.
        let quoted: Vec<String> = notice.iter().map(|l| format!("> {l}").trim_end().to_owned()).collect();
        let raw = format!("Return-Path: <>\nFrom: Ken <ken@a.example>\nSubject: RE: returned\n\nSee below.\n\n> -----Original Message-----\n> From: Mail Delivery System <MAILER-DAEMON@a.example>\n>\n{}\n", quoted.join("\n"));
        assert_eq!(essentials(&diagnose(raw.as_bytes())), essentials(&alone));
        // A notice that names its recipient itself and quotes the returned message, which names
        // the recipient too, is read as the notice.
        let raw = "From: MAILER-DAEMON@a.example\nSubject: Undelivered Mail Returned to Sender\n\n<kai@b.example>: host mx.b.example[198.51.100.7] said: 552 5.2.2 Mailbox full\n    (in reply to RCPT TO command)\n\n> To: kai@b.example\n> Subject: hello\n>\n> hi\n";
        let report = diagnose(raw.as_bytes());
        assert_eq!(report.decoded_by.as_deref(), Some("text"), "read as the notice, not as a pasted quotation");
        assert_eq!(report.deliveries[0].reason, Reason::MailboxFull);
        assert_eq!(report.deliveries[0].diagnostic.as_deref(), Some("552 5.2.2 Mailbox full (in reply to RCPT TO command)"));
    }
}
