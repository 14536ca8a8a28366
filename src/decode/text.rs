//! The generic reader: a notice in no format we know, or text pasted without headers. It looks
//! for the shapes most mail systems share: `<rcpt>: ... said: NNN ...` (Postfix-like),
//! `<rcpt>... Deferred: ...` (Sendmail-like), `<<< NNN ...` transcripts, and a bare SMTP reply.

use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::decode::{Decoded, clean_address, complete_from_diagnostic, join_lines};
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind, Reason};
use crate::smtp;


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
    "再試行",
    "再送を試み",
    "配信が遅延",
    "配信の遅延",
    // Exchange's Japanese delay notice (its "Delivery is delayed to these recipients or groups"
    // / "The server will keep trying to deliver this message"): "...への配信が遅れています",
    // "配信の試行は続行されます", "配信を試み続けます" (stellarinfo.com's Japanese page on the
    // 400 4.4.7 notice quotes the template).
    "配信が遅れて",
    "試行は続行され",
    "試行し続け",
    "試み続け",
];

/// Openings of notices that the receiving system writes after it has accepted the message
/// (Yahoo's classic notice; the `---The following addresses had delivery errors---` list).
const AFTER_ACCEPTANCE: &[&str] = &["unable to deliver message to the following address", "---the following addresses had delivery errors---"];

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let notice = crate::decode::notice_text(mail);
    let mut deliveries = recipient_blocks(notice);
    if deliveries.is_empty() {
        deliveries = bracketed_recipients(notice);
    }
    let lower = crate::decode::notice_lower(mail);
    if deliveries.is_empty() {
        let labelled = labelled_recipients(notice);
        // A bare number in an ordinary letter is no reply: only pasted text, a mail system's
        // notice, or a reply with an enhanced status code counts.
        // In a letter, the reply must stand where notices put it: at the start of a line or
        // after a mail system's introduction, not inside a sentence ("it bounces with \"550
        // 5.1.1 User unknown\"").
        let reply = bare_reply(notice).filter(|r| {
            mail.is_fragment
                || looks_like_a_notice(mail)
                || r.diagnostic.as_deref().is_some_and(|d| smtp::find_status(d).is_some() && (starts_a_line(notice, d) || introduces_a_reply(lower)))
        });
        match (labelled.as_slice(), reply) {
            // `宛先: rcpt` and, elsewhere, the server's reply: one delivery.
            ([one], Some(reply)) => deliveries.push(Delivery { recipient: one.recipient.clone(), ..reply }),
            (_, reply) if labelled.is_empty() => deliveries.extend(reply),
            _ => deliveries.extend(labelled),
        }
    }
    // Pasted words without an address that the phrase table reads as a cause: that reading
    // is the evidence.
    let mut pasted_with_cause = false;
    if deliveries.is_empty() && mail.is_fragment {
        deliveries.extend(pasted_cause(notice));
        pasted_with_cause = !deliveries.is_empty();
    }
    // Exim (and Gmail, Courier) name the failed recipients in `X-Failed-Recipients:`.
    let failed_recipients: Vec<String> = mail.header("x-failed-recipients").unwrap_or("").split(',').filter_map(crate::decode::first_address).collect();
    let refused = RefusedCommands::read(notice);
    if let [only] = deliveries.as_mut_slice() {
        if only.recipient.is_none() {
            // A notice naming one address on a line of its own speaks of that recipient.
            let mut standalone: Vec<String> = notice.lines().filter_map(crate::decode::address_line).collect();
            standalone.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
            // Exchange names it twice: for the reader, then for administrators.
            if let [address] = failed_recipients.as_slice() {
                only.recipient = Some(address.clone());
            } else if let Some(address) = refused.only_refused_recipient() {
                // A transcript's refused `RCPT TO:<addr>` (MDaemon's `--> RCPT To:<addr>` /
                // `<-- 451 ...`, try6 case 026; Sendmail's `>>> RCPT To:<addr>` / `<<< 550 ...`):
                // the forward-path of RCPT is the recipient (RFC 5321 §4.1.1.3).
                only.recipient = Some(address.to_owned());
            } else if let [address] = standalone.as_slice() {
                only.recipient = Some(address.clone());
            } else {
                // Past a pasted notice's own header block, whose `To:` / `宛先:` is the one who
                // got the notice.
                let skip: usize = notice.split_inclusive('\n').take(pasted_header_block(&notice.lines().collect::<Vec<_>>())).map(str::len).sum();
                only.recipient = prose_recipient(lower.get(skip..).unwrap_or(lower)).or_else(|| returned_to(mail));
            }
        }
        if only.smtp_command.is_none() {
            only.smtp_command = labelled_command(notice, lower).map(str::to_owned);
        }
    }
    // Pasted text laid out as a failure list: a notice although no header says who wrote it.
    let listed = mail.is_fragment && lists_failed_addresses(notice);
    if deliveries.is_empty() && (looks_like_a_notice(mail) || listed) {
        deliveries.extend(named_in_prose(notice));
    }
    if deliveries.is_empty() && !failed_recipients.is_empty() {
        // A notice in words of its own: they are all there is to classify.
        let words = named_in_prose(notice).into_iter().next().and_then(|d| d.diagnostic);
        for recipient in failed_recipients {
            deliveries.push(Delivery { recipient: Some(recipient), diagnostic: words.clone(), ..Delivery::default() });
        }
    }
    if deliveries.is_empty() {
        return None;
    }
    let single = deliveries.len() == 1;
    if let (true, Some((reply, command))) = (single, session_refusal(notice)) {
        // Postfix's postmaster copy: the whole `In:`/`Out:` session, of which only the refusal
        // is the server's verdict.
        deliveries[0].diagnostic = Some(reply);
        deliveries[0].smtp_command = deliveries[0].smtp_command.take().or(command.map(str::to_owned));
    }
    for delivery in deliveries.iter_mut().filter(|d| d.smtp_command.is_none()) {
        delivery.smtp_command = refused.for_recipient(delivery.recipient.as_deref(), single).map(str::to_owned);
    }
    let delayed = is_delay_notice(lower, mail.subject());
    let after_acceptance = AFTER_ACCEPTANCE.iter().any(|opening| lower.contains(opening));
    // Whether the pasted notice reports a returned message: read once, for every delivery.
    let mut returned: Option<bool> = None;
    let recipients: Vec<String> = deliveries.iter().filter_map(|d| d.recipient.clone()).collect();
    for delivery in &mut deliveries {
        // A delay whose words open with an expiry summary (Exchange's `returned '400 4.4.7
        // Message delayed'`) and list the attempts below it: the newest attempt's reply is the
        // server's words, as in the status-part form (see `rfc3464::retry_reply`).
        if delayed
            && delivery.diagnostic.as_deref().and_then(smtp::find_status).is_some_and(|s| s.ends_with(".4.7"))
            && let Some(words) = super::rfc3464::retry_reply(notice, delivery.recipient.as_deref(), &recipients)
        {
            delivery.diagnostic = Some(words);
        }
        complete_from_diagnostic(delivery);
        // Only the notice's own words: a quoted SMTP reply is another server's refusal.
        delivery.after_acceptance = after_acceptance && delivery.reply_code.is_none() && delivery.status.is_none();
        if delivery.action.is_none() {
            delivery.action = if delayed {
                Some(Action::Delayed)
            } else if mail.is_fragment {
                pasted_action(delivery, *returned.get_or_insert_with(|| RETURNED_WORDS.iter().any(|words| lower.contains(words))))
            } else {
                Some(Action::Failed)
            };
        }
    }
    let has_failed_recipients = mail.header("x-failed-recipients").is_some();
    if !(pasted_with_cause || has_failed_recipients || listed || reports_a_delivery(mail, &deliveries, lower, delayed || after_acceptance)) {
        // A letter that names addresses (a quoted `On ..., Bob <bob@...> wrote:`), or text
        // that only looks like `<addr>:` lines, is no delivery report.
        return None;
    }
    if is_personal_reply(mail) && !deliveries.iter().any(|d| d.recipient.is_some() && (d.status.is_some() || d.reply_code.is_some())) {
        // A person's reply reports a delivery only with a notice's structure in it (a pasted
        // `<rcpt>: ... said: 550 ...`), not with words about one.
        return None;
    }
    let all_delayed = deliveries.iter().all(|d| d.action == Some(Action::Delayed));
    let kind = if delayed || all_delayed { Kind::Delay } else { Kind::Bounce };
    let decoded_by = if mail.is_fragment { "fragment" } else { crate::decode::families::recognise(mail).unwrap_or("text") };
    Some(Decoded { kind, deliveries, decoded_by, arrival: crate::time::arrival_in_text(notice) })
}

/// Words of a notice that reports a message returned for good (Postfix's "could not be
/// delivered", Exchange's "Delivery has failed", Gmail's "failed permanently", the Sendmail and
/// qmail "permanent" wordings, RFC 3464 "undeliverable"), then the same in the other languages
/// notices come in (lowercase as the notice's copy is: only ASCII is folded).
pub(crate) const RETURNED_WORDS: &[&str] = &[
    "could not be delivered",
    "couldn't be delivered",
    "wasn't delivered",
    "was not delivered",
    "undeliverable",
    "undelivered",
    "returned to sender",
    "delivery has failed",
    "delivery failed",
    "failed permanently",
    "permanent error",
    "permanent fatal error",
    "giving up",
    "配信できませんでした",
    "配信不能",
    // de: "... nicht zugestellt werden konnte" (Microsoft's German help on the postmaster's
    // failed-delivery messages, support.microsoft.com de-de eb34d15e; GoDaddy's German help "Was
    // bedeutet es, dass meine E-Mail nicht zugestellt werden konnte?", article 3568).
    "nicht zugestellt werden",
    // fr: "le message ... n'a pas pu être remis" (Microsoft's French help on the postmaster's
    // failed-delivery messages, support.microsoft.com fr-fr eb34d15e), the French Exchange
    // notice being a "notification de non-remise" (Microsoft's French page for 5.1.10).
    "pas pu être remis",
    // es: "no se pudo entregar" (Microsoft's Spanish help on the postmaster's failed-delivery
    // messages, support.microsoft.com es-es eb34d15e; Outlook's Spanish notice "No se pudo
    // entregar a estos destinatarios o grupos", quoted by blog.silverpc.hu's guide to it).
    "no se pudo entregar",
    // it: Exchange's Italian notice "Il recapito non è riuscito per i seguenti destinatari o
    // gruppi" (sisimai lhost-exchange2007-07), "il messaggio ... non è stato recapitato"
    // (Microsoft's Italian help on the postmaster's failed-delivery messages, it-it eb34d15e).
    "recapito non è riuscito",
    "non è stato recapitato",
    // pt: "... informa que uma mensagem não foi entregue" (Microsoft's Brazilian Portuguese page
    // on Exchange Online's NDRs, docs.microsoft.com pt-br non-delivery-reports-in-exchange-online),
    // the postmaster's notice saying "a mensagem não foi entregue" (pt.ittrip.xyz's guide to it).
    "não foi entregue",
];

/// The action of pasted text that has no action field: the code class says it (RFC 3463 §3.1
/// and RFC 5321 §4.2.1: a 5 is permanent, the message comes back; a 4 is transient, the
/// sending server keeps it queued), and words of a returned-mail notice say `failed` where the
/// code is missing or transient (a 4xx the sending server gave up on).
fn pasted_action(delivery: &Delivery, returned: bool) -> Option<Action> {
    let class = delivery.status.as_deref().or(delivery.reply_code.as_deref()).and_then(|code| code.bytes().next());
    match class {
        Some(b'5') => Some(Action::Failed),
        _ if returned => Some(Action::Failed),
        Some(b'4') => Some(Action::Delayed),
        _ => delivery.diagnostic.as_deref().and_then(action_of_uncoded_words),
    }
}

/// The action words without a code say for themselves: a null MX refusal is permanent (RFC
/// 7505 §3: the domain declares it accepts no mail, and a sender must not retry; Postfix's
/// "Domain x does not accept mail (nullMX)"), and a local delivery program's exit status 75 is
/// EX_TEMPFAIL (sysexits.h), which Postfix local(8) and pipe(8) defer, like a 4xx.
fn action_of_uncoded_words(words: &str) -> Option<Action> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| crate::pattern::compile(r"(?i)\b(null ?mx)\b|(?:command died with|exit) status 75\b|\bex_tempfail\b"));
    let found = re.captures(words.as_bytes())?;
    Some(if found.get(1).is_some() { Action::Failed } else { Action::Delayed })
}

/// Words of a notice whose server has given the message up, whatever "Deferred:" lines its
/// transcript holds: Sendmail's queue return ("----- The following addresses had permanent fatal
/// errors -----", "Message could not be delivered for 5 days", "Message will be deleted from
/// queue": sendmail's savemail.c), qmail's "I've given up".
const GAVE_UP_MARKERS: &[&str] = &["permanent fatal error", "will be deleted from queue", "i've given up"];

/// Whether a sentence of a delay notice only states that the server retries: the notice's
/// delay wording ([`DELAY_MARKERS`]) or Gmail's "Gmail will retry for N more hours" (its delay
/// notice, seen in sisimai rhost-gsuite-06 and rfc3464-55). Such a sentence names no cause.
pub fn states_retrying(lower_sentence: &str) -> bool {
    DELAY_MARKERS.iter().any(|m| lower_sentence.contains(m)) || lower_sentence.contains(" will retry ")
}

/// True when the notice says the server keeps trying.
pub fn is_delay_notice(lower_notice: &str, subject: &str) -> bool {
    if GAVE_UP_MARKERS.iter().any(|m| lower_notice.contains(m)) {
        return false;
    }
    let subject = subject.to_ascii_lowercase();
    DELAY_MARKERS.iter().any(|m| lower_notice.contains(m))
        || subject.contains("delayed")
        || subject.contains("warning")
        || subject.contains("delivery status notification (delay)")
        || subject.contains("遅延")
        || subject.contains("遅れています")
}


fn recipient_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::compile(r"(?m)(?:^[ \t]*<?([^<>\s@]+@[^<>\s]+?)>?|[ \t]<([^<>\s@]+@[^<>\s]+?)>)(?: \(expanded from[^)\n]*\))?(?::|[ \t]?\.\.\.)[ \t]*(.*)$")
    })
}

/// A [`recipient_line`] match inside a reply that refuses the envelope sender: Postfix smtpd's
/// `<sender>: Sender address rejected: ...` (postconf(5), reject_unknown_sender_domain,
/// reject_unlisted_sender, ...), quoted in the remote reply of a notice and often wrapped
/// onto a line of its own. Also a reply whose enhanced status before the address is X.1.7 or
/// X.1.8, which RFC 3463 §3.2 gives to the sender's address ("Bad sender's mailbox address
/// syntax", "Bad sender's system address"): Sendmail's `553 5.1.8 <sender>... Domain of sender
/// address ... does not exist`, quoted in its `(reason: ...)` summary under the real recipient
/// (try6 case 140). The sender is never a recipient; the line belongs to the reply.
fn names_a_refused_sender(text: &str, caps: &regex::bytes::Captures) -> bool {
    let rejected = caps.get(3).is_some_and(|rest| rest.as_bytes().len() >= 23 && rest.as_bytes()[..23].eq_ignore_ascii_case(b"sender address rejected"));
    rejected || caps.get(0).is_some_and(|whole| refuses_the_sender(text, whole.start()))
}

/// Whether the reply just before `at` on its line carries an enhanced status about the sender's
/// address (RFC 3463 §3.2: X.1.7, X.1.8). Only a few dozen bytes are read (the code stands
/// right before the address), so many matches on one line stay linear.
fn refuses_the_sender(text: &str, at: usize) -> bool {
    const REACH: usize = 48;
    let mut from = at.saturating_sub(REACH);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..at];
    let line = before.rsplit('\n').next().unwrap_or(before);
    smtp::find_status(line).is_some_and(|status| status.ends_with(".1.7") || status.ends_with(".1.8"))
}

/// The recipient a [`recipient_line`] match names.
fn recipient_of(caps: &regex::bytes::Captures) -> Option<String> {
    let address = caps.get(1).or_else(|| caps.get(2)).map_or(String::new(), |m| crate::pattern::as_text(m.as_bytes()));
    clean_address(&address)
}

/// `<rcpt>: text` / `<rcpt>... text` lines, each with its indented continuation lines.
pub(crate) fn recipient_blocks(notice: &str) -> Vec<Delivery> {
    let mut deliveries: Vec<Delivery> = Vec::new();
    // Where each recipient's delivery is, so a second mention is found without a search, and how
    // often it was mentioned again.
    let mut seen: std::collections::HashMap<String, (usize, u8)> = std::collections::HashMap::new();
    const MAX_REREADS: u8 = 8;
    let sessions = SessionRefusal::read_all(notice);
    let mut next_session = 0;
    let transcript_start = crate::pattern::find_ignore_case(notice, "transcript of session follows");
    let mut matches = recipient_line().captures_iter(notice.as_bytes()).filter(|c| !names_a_refused_sender(notice, c)).peekable();
    while let Some(caps) = matches.next() {
        let Some(recipient) = recipient_of(&caps) else { continue };
        // The next line naming another recipient ends this one's lines, so a line is read for
        // one recipient only, however many follow (linear in the notice). Postfix repeats the
        // same recipient inside its reply (`said: 550\n    <rcpt>: User unknown`): that line stays.
        let next_other = matches.peek().filter(|c| recipient_of(c).is_none_or(|r| r != recipient)).and_then(|c| c.get(0)).map_or(notice.len(), |m| m.start());
        if let Some((index, rereads)) = seen.get_mut(&recipient)
            && let Some(existing) = deliveries.get(*index)
        {
            // A further mention only matters while the first gave no reply code; after a few
            // it is the same words again (bounded work per mention).
            *rereads = rereads.saturating_add(1);
            if *rereads > MAX_REREADS || existing.diagnostic.as_deref().is_some_and(|d| smtp::find_reply_code(d).is_some()) {
                continue;
            }
        }
        let whole = caps.get(0).expect("match");
        let mut first = caps.get(3).map_or(String::new(), |m| crate::pattern::as_text(m.as_bytes()));
        // Sendmail writes `550 5.1.2 <rcpt>... Host unknown`: the reply stands before the address.
        let line_start = notice[..whole.start()].rfind('\n').map_or(0, |i| i + 1);
        // Matches and sections both come in the notice's order: one walk over the sections.
        while sessions.get(next_session).is_some_and(|s| s.end <= line_start) {
            next_session += 1;
        }
        let session = sessions.get(next_session).filter(|s| s.covers(line_start));
        if session.is_some_and(|s| s.reply_line == line_start && s.command != "RCPT") {
            // The reply to `MAIL From:<sender>` names the sender, not a recipient.
            continue;
        }
        let prefix = notice.get(line_start..whole.start()).unwrap_or("").trim();
        let own_reply = smtp::find_reply_code(&first).is_some();
        // So do transcripts (`<<< 550 5.1.1 <rcpt>...`) and summaries (`(reason: 550 5.1.1 <rcpt>...`).
        if !own_reply
            && let Some(at) = smtp::reply_code_offset(prefix)
        {
            first = format!("{} {first}", &prefix[at..]);
        }
        let mut lines = vec![first.as_str()];
        let (_, end) = crate::pattern::char_span(notice, whole.end(), whole.end());
        // A bare `<rcpt>:` line is followed by its paragraph, indented or not.
        let bare = first.trim().is_empty();
        let mut line_end = end;
        // Postfix's remote reply (bounce(5) and smtp(8): `<rcpt>: host NAME[IP] said: REPLY (in
        // reply to CMD command)`, or `host NAME[IP] refused to talk to me: REPLY`) is one
        // paragraph. Pasted into blogs, chats and forums or re-wrapped by mail clients, it may be
        // broken anywhere (after `host`, before `said:`, inside the reply) and its continuation
        // lines lose their indentation: the paragraph is read whole, from the recipient's line to
        // the close, a blank line, a field or another recipient (seen in field/postfix-* pastes
        // and field/ms-4650-*, field/spamhaus-dbl-*).
        let mut open_reply = (crate::pattern::find_ignore_case(&first, "said:").is_some() || names_remote_host(&first)) && !closes_reply(&first);
        for line in notice[end..].split('\n').skip(1) {
            let line_start = line_end + 1;
            line_end = line_start + line.len();
            if line_end > next_other {
                break;
            }
            let paragraph_line = bare && crate::decode::address_line(line).is_none();
            let reflowed = open_reply && continues_reply(line, &recipient);
            if (line.starts_with([' ', '\t']) || paragraph_line || reflowed) && !line.trim().is_empty() {
                lines.push(line);
                open_reply &= !closes_reply(line);
            } else {
                break;
            }
        }
        let text = join_lines(lines);
        let mut diagnostic = after_said(&text).to_owned();
        let mut command = None;
        if let Some(session) = session.filter(|s| s.reply_line < line_start && s.command != "RCPT")
            && !own_reply
        {
            // Sendmail's summary (`554 <rcpt>... Remote protocol error`) of a session the
            // server ended before this recipient: the server's refusal is the cause.
            diagnostic = format!("{} {diagnostic}", session.reply);
            command = Some(session.command);
        }
        if let Some(existing) = seen.get(&recipient).and_then(|&(i, _)| deliveries.get_mut(i)) {
            // Sendmail names a recipient twice: once in the transcript, once with the verdict.
            if smtp::find_reply_code(&diagnostic).is_some() && existing.diagnostic.as_deref().is_none_or(|d| smtp::find_reply_code(d).is_none()) {
                existing.diagnostic = Some(diagnostic);
            }
            continue;
        }
        let diagnostic = if diagnostic.is_empty() { None } else { Some(diagnostic) };
        let mta_remark = transcript_start.filter(|&at| at < line_start).and_then(|_| local_mailer_line(notice, line_start));
        seen.insert(recipient.clone(), (deliveries.len(), 0));
        let remote_mta = replying_host(&text);
        deliveries.push(Delivery { recipient: Some(recipient), diagnostic, smtp_command: command.map(str::to_owned), mta_remark, remote_mta, ..Delivery::default() });
    }
    // A transcript reply (`<<< 550 ...`) is the server's own words: prefer it.
    if deliveries.len() == 1
        && let Some((reply, _)) = session_refusal(notice)
    {
        deliveries[0].diagnostic = Some(reply);
    }
    deliveries
}

/// The end of a Postfix remote reply: `(in reply to RCPT TO command)`.
fn closes_reply(text: &str) -> bool {
    crate::pattern::find_ignore_case(text, "command)").is_some()
}

/// Whether a recipient line's text opens Postfix's remote-reply paragraph: `host NAME[IP] ...`,
/// the line possibly cut right after `host` (Postfix bounce(5), smtp(8)).
fn names_remote_host(text: &str) -> bool {
    let text = text.trim_start();
    text.get(..4).is_some_and(|word| word.eq_ignore_ascii_case("host")) && text[4..].chars().next().is_none_or(char::is_whitespace)
}

/// An unindented line that may go on with the reply above it: not another recipient's line
/// (the server may quote this one's: `<rcpt>: Recipient address rejected`), not a header or
/// delivery-status field (`Reporting-MTA: dns; ...`), not a rule or a transcript arrow. A line
/// cut before Postfix's `said:` starts with it, and is no field.
fn continues_reply(line: &str, recipient: &str) -> bool {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with(['-', '=', '*', '_', '>']) || trimmed.starts_with("<<<") {
        return false;
    }
    let field = crate::decode::field_name(trimmed).is_some_and(|name| !name.eq_ignore_ascii_case("said"));
    let names = |address: &str| address.eq_ignore_ascii_case(recipient);
    let other_recipient = crate::decode::address_line(trimmed).is_some_and(|a| !names(&a))
        || recipient_line().captures(trimmed.as_bytes()).is_some_and(|c| !names_a_refused_sender(trimmed, &c) && recipient_of(&c).is_none_or(|a| !names(&a)));
    !(field || other_recipient)
}

/// Whether what the generic reader found rests on evidence of a delivery report, not on a
/// subject word and an address in a letter: the server's words carry a reply code (RFC 5321
/// §4.2) or an enhanced status code (RFC 3463); the message has a report part (RFC 3462
/// `multipart/report`, RFC 3464 `message/delivery-status`); a mail system's notice shape is
/// recognised (`families.rs`); or a mail system (mailer-daemon, postmaster: RFC 5321 §4.5.5
/// null sender notices) or pasted text says in its own words that delivery failed or is
/// delayed.
fn reports_a_delivery(mail: &Mail, deliveries: &[Delivery], lower: &str, notice_wording: bool) -> bool {
    // A three-digit number alone, with no recipient and no cause in its words, may be chance
    // (random or binary text has plenty).
    let coded = deliveries.iter().any(|d| d.status.is_some() || (d.reply_code.is_some() && (d.recipient.is_some() || names_a_cause(d) || introduces_a_reply(lower))));
    // Pasted Postfix recipient line without a reply code (bounce(5), smtp(8), local(8): `<rcpt>:
    // TLS is required, but was not offered by host ...`, `... does not accept mail (nullMX)`,
    // `message size N exceeds size limit M of server ...`, `mail for D loops back to myself`):
    // the shape and a cause in its words are two marks.
    let pasted_recipient_cause = mail.is_fragment && deliveries.iter().any(|d| d.recipient.is_some() && names_a_cause(d));
    // A notice from a mail service's own mailbox (RFC 2142 MAILER-DAEMON, postmaster; RFC 5321
    // §4.5.5 null reverse-path) that names a recipient, in whatever language its words are.
    let service_names_recipient = crate::message::is_from_a_mail_system(mail) && deliveries.iter().any(|d| d.recipient.is_some());
    let says_so = notice_wording || unquoted_contains_any(lower, RETURNED_WORDS);
    let from_system = from_mail_system(mail);
    // A mail system's notice under a notice subject, or naming a cause the phrase table knows
    // ("Mailbox full"): sender and words are two independent marks.
    let system_notice = from_system && (is_notice_subject(mail) || deliveries.iter().any(names_a_cause));
    coded
        || pasted_recipient_cause
        || service_names_recipient
        || has_report_part(mail)
        || system_notice
        || crate::decode::families::recognise(mail).is_some()
        || (says_so && (mail.is_fragment || from_system || is_notice_subject(mail)))
}

/// The words with which mail systems introduce the remote server's reply, so a reply code
/// after them is one (not a number in a sentence): Exim's `SMTP error from remote mail server
/// after RCPT TO:<...>:` / `after initial connection:` (Exim spec, smtp transport errors),
/// Postfix's `said:` and `refused to talk to me:` (bounce(5), smtp(8)), Exchange's `Remote
/// Server returned '...'` (Microsoft NDR pages), Gmail's `The response from the remote server
/// was:` / `The response was:` (Gmail's notices, field/gmail-*), and Exchange's Japanese
/// `リモート サーバー [HOST (IP)] から '...' が返されました` (its "Remote Server [at HOST (IP)]
/// returned '...'"; the verb closes the quote, the host may stand between: the template the
/// tests `exchanges_japanese_notices_are_notices_under_any_header` follow, and try6's
/// Japanese failure and delay notices, cases 122 and 132).
const REPLY_INTRODUCTIONS: &[&str] = &["smtp error from remote mail server", "said:", "refused to talk to me", "remote server returned", "response from the remote server", "the response was:", "' が返されました"];

/// Whether a reply (its code and first word) begins a line of the notice, quote marks and
/// indentation aside.
fn starts_a_line(notice: &str, reply: &str) -> bool {
    let head: Vec<&str> = reply.split_whitespace().take(2).collect();
    let head = head.join(" ");
    notice.lines().any(|line| line.trim_start_matches(['>', ' ', '\t', '\'', '"']).starts_with(&head))
}

fn introduces_a_reply(lower: &str) -> bool {
    unquoted_contains_any(lower, REPLY_INTRODUCTIONS)
}

/// A personal reply: it answers a message (`In-Reply-To`/`References`, RFC 5322 §3.6.4), comes
/// from a person (not a mail service's mailbox, not the null reverse-path of RFC 5321 §4.5.5),
/// and has no report part (RFC 3462) nor `Auto-Submitted` (RFC 3834). Mail systems write their
/// notices as new messages; a person quoting "550 5.1.1 User unknown" in a sentence of a reply
/// reports nothing.
fn is_personal_reply(mail: &Mail) -> bool {
    let answers = mail.header("in-reply-to").is_some() || mail.header("references").is_some();
    let automatic = mail.header("auto-submitted").is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"));
    !mail.is_fragment && answers && !automatic && !has_report_part(mail) && !crate::message::is_from_a_mail_system(mail) && !from_mail_system(mail)
}

/// A report part: RFC 3462 `multipart/report` or an RFC 3464 `message/delivery-status` part.
fn has_report_part(mail: &Mail) -> bool {
    !mail.status.is_empty() || mail.header("content-type").is_some_and(|v| v.to_ascii_lowercase().contains("multipart/report"))
}

/// The layout of a failure list: a heading line ending in a colon, then addresses each alone on
/// an indented line (Exim's bounce: "... The following address(es) failed:" / blank / `  addr`
/// / `    reason`, Exim spec "Bounce messages"; Exchange's "Delivery has failed to these
/// recipients or groups:" / blank / `addr`, Microsoft NDR pages; the same layout in the
/// localised notices of other systems). Read in pasted text, where no header says who wrote it.
fn lists_failed_addresses(notice: &str) -> bool {
    let mut heading = false;
    for line in notice.lines().take(60) {
        let trimmed = line.trim_end();
        if trimmed.trim().is_empty() {
            continue;
        }
        if heading && line.starts_with([' ', '\t']) && crate::decode::address_line(trimmed).is_some() {
            return true;
        }
        heading = trimmed.ends_with([':', '：']) && trimmed.split_whitespace().count() >= 3;
    }
    false
}

/// Whether the phrase table reads a cause in a delivery's words.
fn names_a_cause(delivery: &Delivery) -> bool {
    delivery.diagnostic.as_deref().is_some_and(|words| {
        let reason = crate::classify::classify(words, smtp::find_status(words)).reason;
        !matches!(reason, Reason::OnHold | Reason::Undefined | Reason::Vacation)
    })
}

/// Whether any of `words` stands in a line of the text that is not quoted from another letter
/// (`> `): one pass over the lines.
fn unquoted_contains_any(lower: &str, words: &[&str]) -> bool {
    lower.lines().filter(|line| !line.trim_start().starts_with('>')).any(|line| words.iter().any(|w| line.contains(w)))
}

/// A sender that is a mail system rather than a person.
fn from_mail_system(mail: &Mail) -> bool {
    let from = mail.from().to_ascii_lowercase();
    ["mailer-daemon", "postmaster", "post_master", "mail delivery", "ndr", "notification", "mail deliver"].iter().any(|m| from.contains(m))
}

/// A subject a mail system gives its notice. A person's reply (`Re:`, `AW:`, `SV:`, `返信:`
/// prefixes, as mail clients write them) is never one, whatever words follow.
fn is_notice_subject(mail: &Mail) -> bool {
    let subject = mail.subject().trim().to_ascii_lowercase();
    let reply = ["re:", "re :", "aw:", "sv:", "vs:", "antw:", "r:", "返信:", "返信："].iter().any(|p| subject.starts_with(p));
    !reply && (["undeliver", "returned", "failure", "failed", "not delivered", "delivery", "error"].iter().any(|m| subject.contains(m)) || NOTICE_SUBJECT_WORDS.iter().any(|m| subject.contains(m)))
}

/// Subject words of notices in the languages other than English (lowercase, as the subject is
/// compared ASCII-folded). Matched anywhere, as a forward keeps them after its own prefix ("FW:
/// 配信不能: ...", "転送: 配信不能: ...", "WG: Unzustellbar: ...").
pub(crate) const NOTICE_SUBJECT_WORDS: &[&str] = &[
    // ja: "エラー" (error), and the prefixes of Exchange and Outlook's Japanese notices, which
    // stand where the English ones write "Undeliverable:" and "Delivery delayed:": "配信不能"
    // (field/eml/outlook-ja-haishin-funou.txt, a posted Outlook notice titled "配信不能 : ...";
    // Microsoft's Japanese Exchange pages call the report "配信不能レポート",
    // learn.microsoft.com/ja-jp bb232118) and "配信の遅延" (Exchange's Japanese delay template,
    // the stellarinfo.com page cited at [`DELAY_MARKERS`]).
    "エラー",
    "配信不能",
    "配信の遅延",
    // de: Exchange's and Outlook's German "Unzustellbar: <subject>" (msxfaq.de's page on
    // receipts names "Unzustellbar" as Exchange's report of a failed delivery; two public
    // projects read German Exchange NDRs by that subject prefix, one beside the notice's
    // "Diagnoseinformationen für Administratoren:").
    "unzustellbar",
    // it: Exchange's Italian "Non recapitabile: <subject>" (sisimai lhost-exchange2007-07,
    // Content-Language it-CH); Microsoft's Italian help calls returned mail "messaggi che tornano
    // al mittente come non recapitabili" (support.office.com it-it 45e048ac).
    "non recapitabile",
    // fr: Exchange's French "Non remis : <subject>" (a public project matches it beside
    // "Undeliverable:"); Microsoft's French help names the report a "notification de non-remise"
    // (support.office.com fr-fr, the page for 5.1.10).
    "non remis",
    // zh: 退信 "returned mail", what Chinese providers call their notice and put in its subject
    // ("系统退信"): QQ Mail's help on returned mail ("QQ邮箱会发送一封退信通知", qqmailbox.com
    // article 169), Coremail's support pages on bounces ("退信提示: ...", icoremail.vip).
    "退信",
];

/// Whether an unquoted line of the notice holds a refusal in single quotes (`'550 5.1.1 ...'`):
/// how Exchange quotes the remote server's reply in every language its notices are written in
/// (English "Remote Server returned '550 5.1.1 ...'", Microsoft's NDR pages; Japanese
/// "リモート サーバーから '451 4.7.1 ...' が返されました"). The code with its enhanced status is
/// the server's words, whatever header the notice carries.
pub(crate) fn quotes_a_coded_refusal(lower: &str) -> bool {
    lower.lines().filter(|line| !line.trim_start().starts_with('>')).any(|line| line.match_indices('\'').any(|(at, _)| smtp::starts_with_coded_refusal(&line[at + 1..])))
}

/// Whether the message comes from a mail system about a delivery (sender or subject say so), so
/// that prose naming an address may be read as a failure report.
fn looks_like_a_notice(mail: &Mail) -> bool {
    from_mail_system(mail) || is_notice_subject(mail)
}

/// A notice in its own words: the addresses it names on lines of their own (or in `<...>` in
/// its sentences), each with the notice's text as the words to classify.
fn named_in_prose(notice: &str) -> Vec<Delivery> {
    let lines: Vec<&str> = notice
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("--") && !l.starts_with("**") && !l.to_ascii_lowercase().starts_with("content-"))
        // Rules drawn with `====` or `____` frame the notice; they are no words.
        .filter(|l| !l.bytes().all(|b| matches!(b, b'=' | b'_' | b'~' | b'#' | b'+')))
        .take(40)
        .collect();
    let mut recipients: Vec<String> = lines.iter().filter_map(|l| crate::decode::address_line(l)).collect();
    if recipients.is_empty() {
        recipients.extend(lines.iter().filter(|l| !is_header_line(l)).filter_map(|l| {
            let open = l.find('<')?;
            let close = l[open..].find('>')? + open;
            clean_address(&l[open + 1..close])
        }));
    }
    if recipients.is_empty() {
        // An address named only in the notice's sentence ("Failed to deliver to 'a@b'").
        recipients.extend(prose_recipient(&join_lines(lines.iter().copied()).to_ascii_lowercase()));
    }
    if recipients.is_empty() {
        // The notice quotes the message it could not deliver: its `To:` is the recipient.
        recipients.extend(lines.iter().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.trim().eq_ignore_ascii_case("to").then(|| crate::decode::first_address(value)).flatten()
        }));
    }
    recipients.dedup();
    let words = join_lines(lines.iter().copied().filter(|l| crate::decode::address_line(l).is_none()));
    recipients
        .into_iter()
        .map(|recipient| Delivery { recipient: Some(recipient), diagnostic: (!words.is_empty()).then(|| words.clone()), ..Delivery::default() })
        .collect()
}

/// The single `To:` address of the returned message: whom the failed message was for.
fn returned_to(mail: &Mail) -> Option<String> {
    let headers = mail.returned_headers.as_deref().unwrap_or_else(|| mail.body.get(mail.notice_end..).unwrap_or(""));
    let to = crate::decode::header_in_block(headers.trim_start(), "to")?;
    let mut addresses = to.split(',').filter_map(crate::decode::first_address);
    let first = addresses.next()?;
    addresses.next().is_none().then_some(first)
}

/// The sentences that name the one undeliverable address (see [`prose_recipient`]).
fn prose_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::compile(concat!(
            r"(?:undeliverable to|could not be delivered to|not be delivered to|(?:wasn'?t|was not|couldn'?t be) delivered to|errors?:|recipient:|failed recipient:|rejected recipient)\s*<?([^\s<>@]+@[a-z0-9.-]+[a-z])",
            // 宛先 is the recipient's label in Japanese mail ("[宛先] ボックス", Microsoft's
            // Japanese page on failed-delivery messages from postmaster@outlook.com; "550 5.1.1
            // <宛先メールアドレス>... User unknown", a Japanese host's help page, help.arena.ne.jp):
            // with or without a colon, "宛先 a@b へのメール配信は..." (try6 cases 044, 094).
            r"|宛先\s*(?::|：)?\s*<?([^\s<>@]+@[a-z0-9.-]+[a-z])",
            // Exchange Online: "Your message to a@b couldn't be delivered." (Microsoft's NDR
            // pages, e.g. "Fix email delivery issues for error code 5.1.1"); Gmail: "Your
            // message to a@b has been blocked" / "was not delivered" pages.
            r"|message to\s+<?([^\s<>@]+@[a-z0-9.-]+[a-z])>?\s+(?:couldn'?t|could not|can'?t|cannot|wasn'?t|was not|has not|hasn'?t|has been blocked|was blocked|was rejected|has been rejected|was undeliverable|is undeliverable)",
            // Postfix bounce(5): `<rcpt>: host NAME[IP] said:` / `refused to talk to me`, with the
            // brackets and the colon lost when the notice was pasted flattened.
            r"|(?:^|\s)<?([^\s<>@:]+@[a-z0-9.-]+[a-z])>?:?\s+host\s+[a-z0-9.-]+\s*\[",
            // Gmail: "There was a (temporary) problem delivering your message to a@b";
            // CommuniGate Pro: "Failed to deliver to '<a@b>'"; Sendmail and others: "Unable
            // to deliver mail to a@b", "Delivery to a@b failed".
            r"|(?:problem delivering|(?:unable|failed|could not|couldn'?t) (?:to )?deliver)(?: (?:your|the|this) (?:message|mail|e-?mail))? to:?\s*['<]{0,2}([^\s<>@']+@[a-z0-9.-]+[a-z])",
            r"|delivery to:?\s*<?([^\s<>@]+@[a-z0-9.-]+[a-z])>?\s+(?:has )?failed",
            // Exim: "SMTP error from remote mail server after RCPT TO:<a@b>:" (the Exim
            // specification's chapter on the smtp transport and its bounce texts): the
            // argument of the refused RCPT is the recipient.
            r"|smtp error from remote (?:mail server|server|host) after rcpt to:\s*<([^\s<>@]+@[a-z0-9.-]+[a-z])>",
            // Gmail's Japanese notices: "a@b 宛てのメッセージは、受信者のドメインによってブロック
            // されました" (the "Message blocked" notice, "Your message to a@b has been blocked"
            // above) and "a@b にメールを配信できませんでした" ("Address not found"); Exchange's
            // Japanese "a@b へのメッセージを配信できませんでした" (its "Your message to a@b
            // couldn't be delivered").
            r"|(?:^|[\s<])([^\s<>@]+@[a-z0-9.-]+[a-z])>?\s*(?:宛て?の(?:メッセージ|メール)|(?:へ|に)(?:の)?(?:メッセージ|メール)を?配信でき)",
        ))
    })
}

/// This reader's patterns, compiled ahead of a first message (see [`crate::prepare`]).
pub fn prepare() {
    recipient_line();
    prose_pattern();
}

/// The one address a notice's sentence names as undeliverable ("undeliverable to a@b",
/// "permanent errors: a@b.", "Recipient: <a@b>"), from the lowercased notice.
fn prose_recipient(lower: &str) -> Option<String> {
    let mut found = prose_pattern()
        .captures_iter(lower.as_bytes())
        .filter_map(|c| (1..c.len()).find_map(|i| c.get(i)))
        .filter_map(|m| clean_address(&crate::pattern::as_text(m.as_bytes())));
    let first = found.next()?;
    found.all(|other| other == first).then_some(first)
}

/// `Message-ID: <...>`, `From:Neko <...>`: a header field of the returned message.
fn is_header_line(line: &str) -> bool {
    const NAMES: &[&str] = &["message-id", "from", "sender", "reply-to", "return-path", "in-reply-to", "references", "received", "cc"];
    line.split_once(':').is_some_and(|(name, _)| NAMES.iter().any(|n| name.trim().eq_ignore_ascii_case(n)))
}

/// An HTML table's row of a label cell and a value cell, `label<TAB>value` as
/// `message::html_to_text` writes cells side by side: the label without its colon, if it has one.
fn table_row(line: &str) -> Option<(&str, &str)> {
    line.rsplit_once('\t').map(|(label, value)| (label.trim_end_matches([':', '：']), value))
}

/// `Unknown user: a@example.com` lines: a few words of reason, then the address.
fn labelled_recipients(notice: &str) -> Vec<Delivery> {
    let lines: Vec<&str> = notice.lines().collect();
    let header_block = pasted_header_block(&lines);
    lines
        .iter()
        .enumerate()
        .skip(header_block)
        .filter_map(|(index, line)| {
            // Chinese and Japanese notices write the label with a full-width colon, often with
            // no space after it (`收件人：li.na@163.com`).
            let trimmed = line.trim();
            let (label, address) = trimmed.rsplit_once(": ").or_else(|| trimmed.rsplit_once('：')).or_else(|| table_row(trimmed))?;
            let recipient = crate::decode::address_line(address)?;
            let words = label.split_whitespace().count();
            // A single ASCII word is a header field name (`To:`, `Message-ID:`), not a reason,
            // except the word for the recipient.
            let header_like = words == 1 && label.trim().is_ascii() && !is_recipient_label(label);
            let names_the_sender = label.to_ascii_lowercase().contains("sender") || label.to_ascii_lowercase().contains("from");
            // The reason may go on below, indented as deep (KDDI: "As their mailbox is full.").
            let depth = line.len() - line.trim_start().len();
            let more = lines[index + 1..]
                .iter()
                .take(3)
                .take_while(|l| depth > 0 && !l.trim().is_empty() && l.len() - l.trim_start().len() >= depth && !l.contains('@'));
            let mut diagnostic = join_lines(std::iter::once(label).chain(more.copied()));
            let lower_label = label.to_ascii_lowercase();
            if lower_label.contains("address") || lower_label.contains("recipient") {
                // `target mail address: a@b` names only the address: the reason stands on a
                // labelled line beside it (`reject reason: Mailbox full`).
                let near = &lines[index.saturating_sub(3)..(index + 4).min(lines.len())];
                let reason = near.iter().find_map(|l| {
                    let l = l.trim();
                    [l.split_once(": "), table_row(l)].into_iter().flatten().find(|(label, _)| label.to_ascii_lowercase().ends_with("reason")).map(|(_, r)| r.trim())
                });
                if let Some(reason) = reason {
                    diagnostic = reason.to_owned();
                }
            }
            let summary_label = MESSAGE_LABELS.iter().any(|m| label.trim().eq_ignore_ascii_case(m));
            ((1..=6).contains(&words) && !header_like && !names_the_sender && !summary_label && !label.contains('@')).then(|| Delivery {
                recipient: Some(recipient),
                diagnostic: Some(diagnostic),
                ..Delivery::default()
            })
        })

        .collect()
}

/// How many lines at the top of pasted text are the notice's own header, copied with it as a
/// mail client shows it, in the client's language ("发件人: / 收件人: / 日期: / 主题:", "From: /
/// To: / Date: / Subject:", as Outlook and Foxmail print a message): a first paragraph of three
/// `label: value` lines or more, two of them addresses (the notice's sender and its addressee).
/// Its addressee is the one who gets the notice, not a recipient the notice reports.
fn pasted_header_block(lines: &[&str]) -> usize {
    fn field(line: &str) -> Option<&str> {
        let (label, value) = line.trim().split_once(": ").or_else(|| line.trim().split_once('：'))?;
        // A field name is one word: no sentence, no address.
        (!label.is_empty() && label.chars().count() <= 20 && !label.contains(char::is_whitespace) && !label.contains('@')).then_some(value)
    }
    let block: Vec<&str> = lines.iter().copied().skip_while(|l| l.trim().is_empty()).take_while(|l| !l.trim().is_empty()).collect();
    let Some(values) = block.iter().map(|l| field(l)).collect::<Option<Vec<&str>>>() else { return 0 };
    let addresses = values.iter().filter(|v| crate::decode::first_address(v).is_some()).count();
    if values.len() >= 3 && addresses >= 2 {
        lines.iter().take_while(|l| l.trim().is_empty()).count() + block.len()
    } else {
        0
    }
}

/// In a Sendmail transcript, the local delivery program's own words on the line above a
/// recipient's summary (`mail.local: unknown user: neko`, `maildrop: maildir over quota.`).
fn local_mailer_line(notice: &str, line_start: usize) -> Option<String> {
    let above = notice.get(..line_start.checked_sub(1)?)?;
    let line = above.rsplit('\n').next()?.trim();
    let (program, words) = line.split_once(": ")?;
    let is_program = program.starts_with(|c: char| c.is_ascii_alphabetic()) && program.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    (is_program && !words.trim().is_empty() && smtp::find_reply_code(line).is_none()).then(|| line.to_owned())
}

/// `addr [reason]` lines: the address, then the reason in brackets.
fn bracketed_recipients(notice: &str) -> Vec<Delivery> {
    notice
        .lines()
        .filter_map(|line| {
            let (address, rest) = line.trim().split_once(char::is_whitespace)?;
            let reason = rest.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
            let recipient = crate::decode::address_line(address)?;
            (!reason.is_empty()).then(|| Delivery { recipient: Some(recipient), diagnostic: Some(reason.to_owned()), ..Delivery::default() })
        })
        .collect()
}

/// `Recipient:` as notices label it in their summaries, in the languages bounces come in: the
/// word each language's mail programs use for the field (en "Recipient"; pl "Adresat", as in
/// the Polish notice "Adresat: ... Powód: ..."; es, it "Destinatario"; fr "Destinataire"; pt
/// "Destinatário"; de "Empfänger"): the label names the address, the reason stands beside it.
fn is_recipient_label(label: &str) -> bool {
    const LABELS: &[&str] = &["recipient", "adresat", "destinatario", "destinataire", "destinatário", "empfänger"];
    // ASCII case only: the labels' non-ASCII letters are lowercase as written, and the Unicode
    // case tables that `to_lowercase` needs would weigh some kilobytes in the page.
    LABELS.iter().any(|known| known.eq_ignore_ascii_case(label.trim()))
}

/// Labels of the returned message's summary, which name addresses without a reason.
const MESSAGE_LABELS: &[&str] = &["to", "from", "cc", "reply-to", "sender", "return-path", "delivered-to", "x-original-to", "original recipient", "envelope-to"];

/// A command named under an `SMTP command` label (m-FILTER and others list it on the next line).
fn labelled_command(notice: &str, lower: &str) -> Option<&'static str> {
    let at = lower.find("smtp command")?;
    let next = notice[at..].lines().skip(1).map(str::trim).find(|l| !l.is_empty())?;
    let word = next.split_whitespace().next()?.to_ascii_uppercase();
    smtp::leading_command(&word)
}

/// The commands a session transcript shows refused (a command answered by a 4xx/5xx reply, in
/// any of [`TranscriptLine`]'s shapes): per recipient named in a refused `RCPT TO:`, and the
/// first refused command of all.
#[derive(Default)]
struct RefusedCommands {
    rcpt_to: std::collections::HashSet<String>,
    /// The addresses refused at `RCPT TO:`, and all those sent in `RCPT TO:`.
    refused_rcpt: OneAddress,
    sent_rcpt: OneAddress,
    first: Option<&'static str>,
}

/// The first address of a list as written, and whether the list names another one.
#[derive(Default)]
struct OneAddress {
    first: Option<String>,
    more: bool,
}

impl OneAddress {
    fn note(&mut self, address: &str) {
        match &self.first {
            None => self.first = Some(address.to_owned()),
            Some(first) => self.more |= !first.eq_ignore_ascii_case(address),
        }
    }

    fn only(&self) -> Option<&str> {
        self.first.as_deref().filter(|_| !self.more)
    }
}

impl RefusedCommands {
    fn read(notice: &str) -> RefusedCommands {
        let mut found = RefusedCommands::default();
        let mut lines = notice.lines().filter_map(transcript_line).peekable();
        while let Some(line) = lines.next() {
            let TranscriptLine::Command(command, sent) = line else { continue };
            let rcpt = (command == "RCPT").then(|| sent.split_once(':').and_then(|(_, to)| crate::decode::first_address(to))).flatten();
            if let Some(address) = &rcpt {
                found.sent_rcpt.note(address);
            }
            let Some(&TranscriptLine::Reply(reply)) = lines.peek() else { continue };
            if !smtp::starts_with_refusal(reply) {
                continue;
            }
            if let Some(address) = rcpt {
                found.refused_rcpt.note(&address);
                found.rcpt_to.insert(address.to_ascii_lowercase());
            }
            found.first = found.first.or(Some(command));
        }
        found
    }

    /// The recipient of a transcript's refusal: the one address refused at `RCPT TO:`; with
    /// none refused there, the one address the session sent at all (its DATA was refused: Postfix
    /// smtpd's `Out: 451 4.3.0 Error: queue file write error` after `In: RCPT TO:<a>` / `Out: 250`).
    fn only_refused_recipient(&self) -> Option<&str> {
        if self.refused_rcpt.first.is_some() {
            return self.refused_rcpt.only();
        }
        self.sent_rcpt.only()
    }

    /// The refused command for this recipient; any refused command when it is the only one.
    fn for_recipient(&self, recipient: Option<&str>, only_recipient: bool) -> Option<&'static str> {
        if recipient.is_some_and(|r| self.rcpt_to.contains(&r.to_ascii_lowercase())) {
            return Some("RCPT");
        }
        self.first.filter(|_| only_recipient)
    }
}

/// One `While talking to host:` section of a Sendmail transcript whose session was refused: the
/// command (`>>> MAIL From:<...>`), the server's reply (`<<< 501 ...`), and where they stand.
#[derive(Debug)]
struct SessionRefusal {
    /// Byte offsets of the section in the notice.
    start: usize,
    end: usize,
    /// Byte offset of the line holding the refusal.
    reply_line: usize,
    command: &'static str,
    reply: String,
}

impl SessionRefusal {
    fn read_all(notice: &str) -> Vec<SessionRefusal> {
        let mut found: Vec<SessionRefusal> = Vec::new();
        let mut section: Option<usize> = None;
        let mut last_command: Option<&'static str> = None;
        let mut offset = 0;
        for line in notice.split_inclusive('\n') {
            let at = offset;
            offset += line.len();
            let trimmed = line.trim();
            const OPENING: &str = "while talking to ";
            let opening = trimmed.trim_start_matches('.').trim_start();
            if opening.get(..OPENING.len()).is_some_and(|words| words.eq_ignore_ascii_case(OPENING)) {
                if let Some(open) = found.last_mut().filter(|f| f.end == usize::MAX) {
                    open.end = at;
                }
                section = Some(at);
                last_command = None;
            } else if trimmed.is_empty() {
                if let Some(open) = found.last_mut().filter(|f| f.end == usize::MAX) {
                    open.end = at;
                }
                section = None;
            } else {
                match transcript_line(trimmed) {
                    Some(TranscriptLine::Command(command, _)) => last_command = Some(command),
                    Some(TranscriptLine::OtherCommand) => last_command = None,
                    Some(TranscriptLine::Reply(reply)) => {
                        if let (Some(start), Some(command)) = (section, last_command)
                            && smtp::starts_with_refusal(reply)
                            && found.last().is_none_or(|f| f.start != start)
                        {
                            found.push(SessionRefusal { start, end: usize::MAX, reply_line: at, command, reply: reply.to_owned() });
                        }
                    }
                    None => {}
                }
            }
        }
        found
    }

    fn covers(&self, offset: usize) -> bool {
        (self.start..self.end).contains(&offset)
    }
}

/// One line of a session transcript: a command the sending side wrote or a reply the server
/// gave. The shapes differ by marker, not by content: Sendmail's `>>> RCPT To:<a@b>` / `<<< 550
/// ...` (its "Transcript of session follows"), Postfix's postmaster copy ` In:  RCPT TO:<a@b>` /
/// ` Out: 550 ...`, InterScan's `Sent <<< RCPT TO` / `Received >>> 550`, MDaemon's session
/// transcript `<time>: --> RCPT To:<a@b>` / `<time>: <-- 550 ...`. What follows the marker says
/// which it is: a reply opens with its code (RFC 5321 §4.2), a command with its verb (§4.1).
#[derive(Debug, Clone, Copy, PartialEq)]
enum TranscriptLine<'a> {
    Command(&'static str, &'a str),
    /// A verb that answers no refusal of interest (QUIT, RSET, NOOP): it ends the last command.
    OtherCommand,
    Reply(&'a str),
}

/// The transcript line a notice line holds, if any: a marker at the line's start, after a time
/// stamp (`Tue 2026-11-24 09:30:13.800: <--`) or after `Sent` / `Received`.
fn transcript_line(line: &str) -> Option<TranscriptLine<'_>> {
    let line = line.trim();
    let payload = if let Some(rest) = line.strip_prefix("In:").or_else(|| line.strip_prefix("Out:")) {
        rest
    } else {
        let at = [">>>", "<<<", "-->", "<--"].iter().filter_map(|m| line.find(m)).min()?;
        let before = line[..at].trim_end();
        let stamp = before.is_empty() || before.ends_with(':') || before.eq_ignore_ascii_case("sent") || before.eq_ignore_ascii_case("received");
        if !stamp {
            return None;
        }
        // A forwarded notice quotes the transcript once more (`>>>> DATA`).
        line[at..].trim_start_matches(['<', '>', '-'])
    };
    let payload = payload.trim();
    if smtp::leading_reply_code(payload).is_some() {
        return Some(TranscriptLine::Reply(payload));
    }
    let upper = payload.get(..4).unwrap_or("").to_ascii_uppercase();
    if let Some(command) = smtp::leading_command(&upper) {
        return Some(TranscriptLine::Command(command, payload));
    }
    const OTHER_VERBS: &[&str] = &["QUIT", "RSET", "NOOP", "VRFY", "EXPN", "HELP", "BDAT"];
    OTHER_VERBS.contains(&upper.as_str()).then_some(TranscriptLine::OtherCommand)
}

/// The refusal that decides a session transcript, and the command it answered: the last 4xx/5xx
/// reply (its `NNN-` continuation lines joined), never the greeting or a 2xx/3xx reply. A DATA
/// refused after every recipient was (`503 Need RCPT`, `554 no valid recipients`: RFC 5321
/// §3.3) only follows from that refusal, so the recipient's refusal decides.
fn session_refusal(notice: &str) -> Option<(String, Option<&'static str>)> {
    let lines: Vec<TranscriptLine> = notice.lines().filter_map(transcript_line).collect();
    let mut last_command = None;
    let mut refusals: Vec<(String, Option<&'static str>)> = Vec::new();
    let mut recipient_accepted = false;
    let mut index = 0;
    while let Some(&line) = lines.get(index) {
        index += 1;
        match line {
            TranscriptLine::Command(command, _) => last_command = Some(command),
            TranscriptLine::OtherCommand => last_command = None,
            TranscriptLine::Reply(reply) => {
                recipient_accepted |= last_command == Some("RCPT") && reply.starts_with('2');
                if !smtp::starts_with_refusal(reply) {
                    continue;
                }
                let mut parts = vec![reply];
                while parts.last().is_some_and(|p| p.as_bytes().get(3) == Some(&b'-'))
                    && let Some(&TranscriptLine::Reply(more)) = lines.get(index)
                {
                    parts.push(more);
                    index += 1;
                }
                refusals.push((join_lines(parts), last_command));
            }
        }
    }
    let last = refusals.last()?;
    if last.1 == Some("DATA")
        && !recipient_accepted
        && let Some(rcpt) = refusals.iter().rev().find(|(_, command)| *command == Some("RCPT"))
    {
        return Some(rcpt.clone());
    }
    Some(last.clone())
}

/// The host whose reply Postfix quotes: `host NAME[IP] said:` / `host NAME[IP] refused to talk
/// to me:` (bounce(5), smtp(8)), read before the reply so a `Client host [IP]` inside it is never
/// taken; the DSN's Remote-MTA for a notice that has only its text.
fn replying_host(text: &str) -> Option<String> {
    // A pasted reply may be broken after `host` (see `recipient_blocks`).
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = text.to_ascii_lowercase();
    let end = ["said:", "refused to talk to me"].iter().filter_map(|w| lower.find(w)).min()?;
    let name = crate::decode::remote_host(&text[..end])?;
    let name = name.split('[').next().unwrap_or("").trim_end_matches('.');
    name.contains('.').then(|| name.to_owned())
}

/// The text after `said:` (the remote server's words), or all of it.
fn after_said(text: &str) -> &str {
    let lower = text.to_ascii_lowercase();
    match lower.find("said:") {
        Some(pos) => text[pos + 5..].trim(),
        None => text.trim_start_matches(|c: char| c == '.' || c.is_whitespace()),
    }
}

/// Pasted words with no reply code and no address ("Host or domain name not found"): a
/// delivery when they name a cause, so a short paste still gets an answer.
fn pasted_cause(notice: &str) -> Option<Delivery> {
    const LONGEST_PASTE: usize = 4096;
    let words = join_lines(notice.lines());
    if words.is_empty() || words.len() > LONGEST_PASTE {
        return None;
    }
    let delivery = Delivery { diagnostic: Some(words), ..Delivery::default() };
    let delayed = delivery.diagnostic.as_deref().is_some_and(|words| is_delay_notice(&words.to_ascii_lowercase(), ""));
    (names_a_cause(&delivery) || delayed).then_some(delivery)
}

/// A notice that names no recipient: the paragraph holding the first 4xx/5xx reply. A reply
/// that is only its codes yields to a later one that repeats them with the server's words:
/// Microsoft 365's notice shows `Status code: 550 5.1.10` under "More Info for Email Admins"
/// before the reply itself (`550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by
/// SMTP address lookup`) under "Error Details" (Microsoft's "Email non-delivery reports and SMTP
/// errors in Exchange Online" page; the same two lines in sisimai/lhost-office365-13 and
/// sisimai/rhost-microsoft-03, whose status parts give the full reply too).
fn bare_reply(notice: &str) -> Option<Delivery> {
    let replies: Vec<String> = notice.split("\n\n").filter_map(paragraph_reply).collect();
    let first = replies.first()?;
    let worded = is_codes_only(first).then(|| replies.iter().find(|r| r.starts_with(first.as_str()) && !is_codes_only(r))).flatten();
    Some(Delivery { diagnostic: Some(worded.unwrap_or(first).clone()), ..Delivery::default() })
}

/// A reply of nothing but its reply code and enhanced status code (`550 5.1.10`).
fn is_codes_only(reply: &str) -> bool {
    reply.split_whitespace().all(|word| word.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-'))
}

/// The first 4xx/5xx reply of one paragraph.
fn paragraph_reply(paragraph: &str) -> Option<String> {
    let flat = join_lines(paragraph.lines());
    let text = after_said(&flat);
    // A success reply is no verdict: the paragraph's first refusal is (MDaemon's and other
    // session transcripts answer MAIL FROM with 250 before they refuse RCPT TO).
    let start = smtp::failure_reply_offset(text)?;
    let mut reply = &text[start..];
    // Opened by a quote (Exchange's `returned '550 ...'`, its Japanese `'550 ...' が返さ
    // れました`): the reply ends at the last closing quote, not with the sentence around.
    if text[..start].ends_with('\'')
        && let Some(close) = reply.rfind('\'')
    {
        reply = &reply[..close];
    }
    Some(reply.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn a_status_line_of_codes_yields_to_the_reply_that_repeats_them_with_words() {
        // Microsoft 365's layout: the codes for administrators first, the reply under "Error Details".
        let notice = |codes: &str, reply: &str| format!("From: Microsoft Outlook <postmaster@outlook.example>\nSubject: Undeliverable: hi\n\nYour message to mika@corp.example couldn't be delivered.\n\nMore Info for Email Admins\nStatus code: {codes}\n\nError Details\nReported error: {reply}\nDSN generated by: mx.outlook.example\n");
        let read_reason = |codes: &str, reply: &str| {
            let decoded = decode(&read(notice(codes, reply).as_bytes())).unwrap();
            let diagnostic = decoded.deliveries[0].diagnostic.clone().unwrap();
            (crate::classify::classify(&diagnostic, smtp::find_status(&diagnostic)).reason, diagnostic)
        };
        let (reason, diagnostic) = read_reason("550 5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup");
        assert_eq!(reason, Reason::UserUnknown);
        assert!(diagnostic.contains("RecipientNotFound"));
        // RFC 7505's null MX keeps its code's reason.
        assert_eq!(read_reason("556 5.1.10", "556 5.1.10 Recipient address corp.example has null MX").0, Reason::NotAccept);
        // A later reply with other codes does not replace the first.
        assert_eq!(read_reason("550 5.1.10", "421 4.4.2 Connection dropped").1, "550 5.1.10");
    }

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
        // The host that replied, not the `Client host` inside its reply.
        assert_eq!(d.remote_mta.as_deref(), Some("mx.partner.example.com"));
    }

    #[test]
    fn the_replying_host_is_read_before_the_reply() {
        assert_eq!(replying_host("host mx.b.example[198.51.100.7] refused to talk to me: 554 Client host [192.0.2.1] blocked").as_deref(), Some("mx.b.example"));
        assert_eq!(replying_host("host\ncluster1.eu.messagelabs.com[192.0.2.9]\nsaid: 550 no").as_deref(), Some("cluster1.eu.messagelabs.com"));
        assert_eq!(replying_host("550 5.7.1 Client host [192.0.2.1] blocked; said: nothing"), None);
        assert_eq!(replying_host("User unknown"), None);
    }

    #[test]
    fn pasted_reply_without_recipient() {
        let mail = read(b"said: 450 4.7.1 Service temporarily unavailable; Client host [203.0.113.5] blocked\nusing Trend Micro Network Anti-Spam Service.\n");
        let decoded = decode(&mail).unwrap();
        assert_eq!(decoded.decoded_by, "fragment");
        let d = &decoded.deliveries[0];
        assert_eq!(d.recipient, None);
        // A 4xx pasted alone: the sending server keeps the message queued.
        assert_eq!(d.action, Some(Action::Delayed));
        assert_eq!(d.reply_code.as_deref(), Some("450"));
        assert!(d.diagnostic.as_deref().unwrap().contains("blocked using Trend Micro"));
    }

    #[test]
    fn the_refused_command_is_read_from_the_transcript() {
        let notice = "While talking to a.example:\n>>> DATA\n<<< 550 Redundant\nWhile talking to b.example:\n>>> RCPT To:<neko@b.example>\n<<< 550 No such user here.\n";
        let refused = RefusedCommands::read(notice);
        assert_eq!(refused.for_recipient(Some("Neko@b.example"), false), Some("RCPT"));
        assert_eq!(refused.for_recipient(Some("tora@a.example"), false), None);
        assert_eq!(refused.for_recipient(Some("tora@a.example"), true), Some("DATA"));
        let interscan = RefusedCommands::read("Sent <<< RCPT TO:<neko@c.example>\nReceived >>> 550 5.1.1 <neko@c.example>... user unknown\n");
        assert_eq!(interscan.for_recipient(Some("neko@c.example"), false), Some("RCPT"));
    }

    #[test]
    fn a_refused_sendmail_session_is_the_cause_for_the_recipients_it_left() {
        let notice = "   ----- Transcript of session follows -----\nWhile talking to mx.b.example:\n>>> MAIL From:<me@a.example>\n<<< 501 <me@a.example>... no access from mail server [192.0.2.5]\n554 <tora@b.example>... Remote protocol error\n554 <neko@b.example>... 550 Host unknown\nWhile talking to mx.c.example:\n>>> RCPT To:<mike@c.example>\n<<< 550 <mike@c.example>... User unknown\n550 <mike@c.example>... User unknown\n";
        let deliveries = recipient_blocks(notice);
        let recipients: Vec<&str> = deliveries.iter().filter_map(|d| d.recipient.as_deref()).collect();
        assert_eq!(recipients, ["tora@b.example", "neko@b.example", "mike@c.example"]);
        assert_eq!(deliveries[0].diagnostic.as_deref(), Some("501 <me@a.example>... no access from mail server [192.0.2.5] 554 Remote protocol error"));
        assert_eq!(deliveries[0].smtp_command.as_deref(), Some("MAIL"));
        // A recipient with a reply of its own keeps it.
        assert_eq!(deliveries[1].diagnostic.as_deref(), Some("550 Host unknown"));
        assert_eq!(deliveries[1].smtp_command, None);
    }

    #[test]
    fn a_pasted_exchange_delay_takes_the_newest_attempts_reply() {
        let pasted = "Delivery is delayed to these recipients or groups:\n\nkoji@b.example\n\nThis message hasn't been delivered yet. Delivery will continue to be attempted.\n\nDiagnostic information for administrators:\n\nkoji@b.example\nRemote Server at mx.b.example (198.51.100.3) returned '400 4.4.7 Message delayed'\n12/1/2026 9:40:02 AM - Remote Server at mx.b.example (198.51.100.3) returned '451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped due to SocketError.\" Attempted failover to alternate host, but that did not succeed.'\n";
        let decoded = decode(&read(pasted.as_bytes())).unwrap();
        assert_eq!(decoded.kind, Kind::Delay);
        let delivery = &decoded.deliveries[0];
        assert_eq!(delivery.diagnostic.as_deref(), Some("421 4.4.2 Connection dropped due to SocketError"));
        assert_eq!(delivery.status.as_deref(), Some("4.4.2"));
    }

    #[test]
    fn pasted_notices_name_their_recipient_twice_or_in_a_sentence() {
        let exchange = read(b"Delivery has failed to these recipients or groups:\n\ntanaka@partner.example\nYour message couldn't be delivered.\n\nDiagnostic information for administrators:\n\ntanaka@partner.example\nRemote Server returned '550 5.4.310 DNS domain partner.example does not exist'\n");
        assert_eq!(decode(&exchange).unwrap().deliveries[0].recipient.as_deref(), Some("tanaka@partner.example"));
        let google = read(b"Address not found\nYour message wasn't delivered to suzuki@example.net because the address couldn't be found.\nThe response from the remote server was:\n550 5.1.1 The email account that you tried to reach does not exist.\n");
        assert_eq!(decode(&google).unwrap().deliveries[0].recipient.as_deref(), Some("suzuki@example.net"));
    }

    #[test]
    fn a_local_delivery_programs_words_are_its_remark() {
        let notice = "   ----- Transcript of session follows -----\nmail.local: unknown user: neko\n554 <neko@a.example>... Service unavailable\n";
        let deliveries = recipient_blocks(notice);
        assert_eq!(deliveries[0].mta_remark.as_deref(), Some("mail.local: unknown user: neko"));
        assert_eq!(recipient_blocks("Reporting-MTA: dns; a.example\n554 <neko@a.example>... Service unavailable\n")[0].mta_remark, None);
    }

    #[test]
    fn an_address_label_takes_its_reason_from_the_labelled_line_beside_it() {
        let decoded = decode(&read(b"From: postmaster@b.example\nSubject: email bounce notification\n\nYour message was rejected.\n\nreject reason: Mailbox full\ntarget mail address: neko@b.example\n")).unwrap();
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("neko@b.example"));
        assert_eq!(decoded.deliveries[0].diagnostic.as_deref(), Some("Mailbox full"));
    }

    #[test]
    fn an_address_then_a_spaced_ellipsis_and_the_reason() {
        let deliveries = recipient_blocks("|---- Failed addresses follow: ----|\n neko@b.example ... unknown host\n|---- Message text follows: ----|\n");
        assert_eq!(deliveries.len(), 1);
        assert_eq!(deliveries[0].recipient.as_deref(), Some("neko@b.example"));
        assert_eq!(deliveries[0].diagnostic.as_deref(), Some("unknown host"));
    }

    #[test]
    fn an_error_list_of_addresses_with_bracketed_reasons() {
        let mail = read(b"From: MAILER-DAEMON@b.example\nSubject: Returned mail\n\nThe original message was received at 06 Jan 2025 22:22:29 +0900\nfrom me@a.example\n\n---The following addresses had delivery errors---\n\nneko@b.example [User unknown]\n");
        let decoded = decode(&mail).unwrap();
        let delivery = &decoded.deliveries[0];
        assert_eq!(delivery.recipient.as_deref(), Some("neko@b.example"));
        assert_eq!(delivery.diagnostic.as_deref(), Some("User unknown"));
        assert!(delivery.after_acceptance);
    }

    #[test]
    fn a_session_transcript_gives_its_refusal_and_command() {
        let notice = "Transcript of session follows.\n\n Out: 220 mx ESMTP\n In:  RCPT TO:<a@b.example>\n Out: 250 2.1.5 Ok\n In:  DATA\n Out: 354 End data\n Out: 451 4.3.0 Error: queue file write error\n In:  QUIT\n Out: 221 2.0.0 Bye\n";
        assert_eq!(session_refusal(notice), Some(("451 4.3.0 Error: queue file write error".to_owned(), Some("DATA"))));
    }

    #[test]
    fn every_transcript_shape_gives_its_last_refusal_not_the_greeting() {
        let arrows = " Mon 2026-03-02 10:00:01.100: <-- 220 mx.b.example ESMTP\n Mon 2026-03-02 10:00:01.200: Connection established (192.0.2.1:25 --> 198.51.100.2:40000)\n Mon 2026-03-02 10:00:01.300: --> MAIL From:<me@a.example>\n Mon 2026-03-02 10:00:01.400: <-- 250 Sender ok\n Mon 2026-03-02 10:00:01.500: --> RCPT To:<you@b.example>\n Mon 2026-03-02 10:00:01.600: <-- 554 5.7.1 Rejected by local policy\n Mon 2026-03-02 10:00:01.700: --> QUIT\n";
        assert_eq!(session_refusal(arrows), Some(("554 5.7.1 Rejected by local policy".to_owned(), Some("RCPT"))));
        assert_eq!(RefusedCommands::read(arrows).for_recipient(Some("you@b.example"), false), Some("RCPT"));
        // A multi-line reply is one reply (RFC 5321 §4.2.1: `NNN-` lines, then `NNN `).
        let continued = ">>> RCPT To:<you@b.example>\n<<< 550-5.1.1 The mailbox\n<<< 550 5.1.1 does not exist here\n";
        assert_eq!(session_refusal(continued), Some(("550-5.1.1 The mailbox 550 5.1.1 does not exist here".to_owned(), Some("RCPT"))));
        // A greylisted first try, then the final refusal: the last reply decides.
        let retried = ">>> RCPT To:<you@b.example>\n<<< 451 4.7.1 Try again later\n>>> RCPT To:<you@b.example>\n<<< 550 5.2.1 Mailbox disabled\n";
        assert_eq!(session_refusal(retried).map(|(reply, _)| reply), Some("550 5.2.1 Mailbox disabled".to_owned()));
        // DATA refused only because no recipient was left (RFC 5321 §3.3): the RCPT refusal decides.
        let no_rcpt = ">>> RCPT To:<you@b.example>\n<<< 550 5.1.1 No such user\n>>> DATA\n<<< 503 5.0.0 Need RCPT (recipient)\n";
        assert_eq!(session_refusal(no_rcpt), Some(("550 5.1.1 No such user".to_owned(), Some("RCPT"))));
        assert_eq!(session_refusal(" Out: 220 mx ESMTP\n In:  QUIT\n Out: 221 Bye\n"), None);
    }

    #[test]
    fn a_timestamped_arrow_transcript_gives_the_servers_refusal() {
        let mail = read(b"From: MDaemon@a.example\nSubject: Permanent Delivery Failure\n\nThe message had permanent fatal delivery errors.\n\n--- Session Transcript ---\n Mon 2026-03-02 10:00:01.000: *  To: you@b.example\n Mon 2026-03-02 10:00:01.100: <-- 220 mx.b.example ESMTP\n Mon 2026-03-02 10:00:01.300: --> MAIL From:<me@a.example>\n Mon 2026-03-02 10:00:01.400: <-- 250 Sender ok\n Mon 2026-03-02 10:00:01.500: --> RCPT To:<you@b.example>\n Mon 2026-03-02 10:00:01.600: <-- 550 5.2.1 Mailbox disabled for this recipient\n Mon 2026-03-02 10:00:01.700: --> QUIT\n--- End Transcript ---\n");
        let decoded = decode(&mail).unwrap();
        let d = &decoded.deliveries[0];
        assert_eq!(d.recipient.as_deref(), Some("you@b.example"));
        assert_eq!(d.diagnostic.as_deref(), Some("550 5.2.1 Mailbox disabled for this recipient"));
        assert_eq!(d.smtp_command.as_deref(), Some("RCPT"));
    }

    #[test]
    fn pasted_words_without_a_reply_code_are_read_when_they_name_a_cause() {
        let decoded = decode(&read(b"Host or domain name not found. Name service error for name=example.invalid type=A: Host not found\n")).unwrap();
        assert_eq!(decoded.deliveries[0].diagnostic.as_deref(), Some("Host or domain name not found. Name service error for name=example.invalid type=A: Host not found"));
        let delayed = decode(&read(b"Delivery to the following recipient has been delayed: connection timed out\n")).unwrap();
        assert_eq!(delayed.kind, Kind::Delay);
        let japanese = decode(&read("次の宛先へのメッセージの配信に失敗しました。\n\ntaro@example.jp\n宛先のメールアドレスが見つかりませんでした。\n".as_bytes())).unwrap();
        assert_eq!(japanese.deliveries[0].recipient.as_deref(), Some("taro@example.jp"));
        let retrying = decode(&read("このメッセージは 4 時間以上配信できていません。配信は 5 日間再試行されます。\nyamada@example.com\n".as_bytes())).unwrap();
        assert_eq!(retrying.kind, Kind::Delay);
        assert_eq!(retrying.deliveries[0].recipient.as_deref(), Some("yamada@example.com"));
    }

    #[test]
    fn text_without_any_reply_is_not_decoded() {
        assert_eq!(decode(&read(b"Hello, lunch at noon?\n")), None);
    }

    #[test]
    fn a_postfix_reply_pasted_without_indentation_keeps_all_its_lines() {
        let pasted = b"<neko@b.example>: host mx.b.example[198.51.100.7] said: 550 5.1.1\n<neko@b.example>: Recipient address rejected: User unknown in\nlocal recipient table (in reply to RCPT TO command)\nReporting-MTA: dns; mx.a.example\n";
        let decoded = decode(&read(pasted)).unwrap();
        let d = &decoded.deliveries[0];
        assert_eq!(d.recipient.as_deref(), Some("neko@b.example"));
        assert_eq!(d.diagnostic.as_deref(), Some("550 5.1.1 <neko@b.example>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)"));
        // The next recipient's line starts a delivery of its own.
        let two = decode(&read(b"<a@b.example>: host mx.b.example[198.51.100.7] said: 550 5.1.1 No\nsuch user\n<c@b.example>: host mx.b.example[198.51.100.7] said: 552 5.2.2 Over quota\n")).unwrap();
        assert_eq!(two.deliveries.len(), 2);
        assert_eq!(two.deliveries[0].diagnostic.as_deref(), Some("550 5.1.1 No such user"));
    }

    /// Every way of breaking one line between two words: the paragraph cut once at each space,
    /// as a reflowing mail client, forum or relay may cut it, continuation lines unindented.
    fn broken_at_every_space(paragraph: &str) -> Vec<String> {
        paragraph.match_indices(' ').map(|(at, _)| format!("{}\n{}", &paragraph[..at], &paragraph[at + 1..])).collect()
    }

    #[test]
    fn a_postfix_remote_reply_broken_anywhere_reads_as_the_whole_paragraph() {
        // Postfix bounce(5)/smtp(8): `<rcpt>: host NAME[IP] said: REPLY (in reply to CMD command)`.
        let paragraph = "<hanako@b.example>: host mx.b.example[198.51.100.7] said: 554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org (in reply to RCPT TO command)";
        let whole = "554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org (in reply to RCPT TO command)";
        let breaks = broken_at_every_space(paragraph);
        assert!(breaks.len() > 15);
        for broken in breaks {
            // Before and after it: a notice's sentence, a blank line, the end marker.
            let notice = format!("This is the mail system at host a.example.\n\n{broken}\n\n-- Below this line is a copy of the message.\n");
            let deliveries = recipient_blocks(&notice);
            assert_eq!(deliveries.len(), 1, "{broken}");
            assert_eq!(deliveries[0].recipient.as_deref(), Some("hanako@b.example"), "{broken}");
            assert_eq!(deliveries[0].diagnostic.as_deref(), Some(whole), "{broken}");
        }
    }

    #[test]
    fn a_broken_postfix_paragraph_ends_at_a_field_or_the_next_recipient() {
        let notice = "<a@b.example>: host\nmx.b.example[198.51.100.7]\nsaid: 550 5.1.1 No such user\nReporting-MTA: dns; mx.a.example\n";
        assert_eq!(recipient_blocks(notice)[0].diagnostic.as_deref(), Some("550 5.1.1 No such user"));
        let two = recipient_blocks("<a@b.example>: host\nmx.b.example[198.51.100.7] said: 550 5.1.1 No such\nuser\n<c@b.example>: host\nmx.b.example[198.51.100.7] said: 552 5.2.2 Over quota\n");
        let diagnostics: Vec<&str> = two.iter().filter_map(|d| d.diagnostic.as_deref()).collect();
        assert_eq!(diagnostics, ["550 5.1.1 No such user", "552 5.2.2 Over quota"]);
        // A recipient line that is not Postfix's remote reply keeps to its own line.
        let other = recipient_blocks("<a@b.example>: hostname lookup failed\nThanks for your help\n");
        assert_eq!(other[0].diagnostic.as_deref(), Some("hostname lookup failed"));
    }

    #[test]
    fn pasted_text_takes_its_action_from_the_code_class_and_the_notice() {
        let action = |text: &str| decode(&read(text.as_bytes())).unwrap().deliveries[0].action;
        assert_eq!(action("Remote Server returned '550 5.7.1 Access denied'\n"), Some(Action::Failed));
        assert_eq!(action("451 4.7.1 Please try again later\n"), Some(Action::Delayed));
        assert_eq!(action("Your message could not be delivered.\n451 4.4.1 Connection timed out\n"), Some(Action::Failed));
        assert_eq!(decode(&read(b"451 4.7.1 Please try again later\n")).unwrap().kind, Kind::Delay);
    }

    #[test]
    fn a_sentence_or_a_flattened_notice_names_the_recipient() {
        let exchange = read(b"Your message to neko@b.example couldn't be delivered.\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n");
        assert_eq!(decode(&exchange).unwrap().deliveries[0].recipient.as_deref(), Some("neko@b.example"));
        let flattened = read(b"The mail system neko@b.example host mx.b.example [198.51.100.7] refused to talk to me: 554 Access denied\n");
        assert_eq!(decode(&flattened).unwrap().deliveries[0].recipient.as_deref(), Some("neko@b.example"));
    }

    #[test]
    fn x_failed_recipients_names_the_recipient_of_a_plain_notice() {
        let mail = read(b"From: Mail Delivery System <mailer-daemon@a.example>\nX-Failed-Recipients: neko@b.example\nSubject: Mail delivery failed\n\nThe server answered:\n550 5.1.1 No such user here\nand also about tama@c.example and tora@d.example\n");
        let decoded = decode(&mail).unwrap();
        assert_eq!(decoded.deliveries.len(), 1);
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("neko@b.example"));
    }

    #[test]
    fn an_ordinary_reply_is_no_bounce_whatever_its_subject_says() {
        let replies: [&[u8]; 3] = [
            b"From: Ken <ken@example.jp>\nTo: team@example.jp\nSubject: Re: delivery schedule\n\nTuesday works for us.\n\nOn Sun, 29 Nov 2026, Bob <bob@example.com> wrote:\n> Can you confirm the date?\n",
            b"From: Ken <ken@example.jp>\nTo: team@example.jp\nSubject: Re: undeliverable parcel\n\nThe courier says the parcel was undeliverable.\n\nOn Mon, 30 Nov 2026, Bob <bob@example.com> wrote:\n> Where is it? Ask <carol@example.net>.\n> It was returned to sender, could not be delivered.\n",
            b"From: Ken <ken@example.jp>\nTo: team@example.jp\nSubject: AW: Delivery failure of the truck\n\nNoted.\n\nBob <bob@example.com> schrieb:\n> <alice@example.org>: the truck broke down\n",
        ];
        for raw in replies {
            let mail = read(raw);
            assert_eq!(decode(&mail), None, "{}", String::from_utf8_lossy(raw));
            assert_eq!(crate::diagnose(raw).kind, Kind::NotABounce);
        }
    }

    #[test]
    fn random_text_with_angle_brackets_names_no_recipient() {
        // A fixed pseudo-random stream (a 64-bit LCG) over letters, digits and `<@>:.;[]`.
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<>@:.;[] \n";
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let text: Vec<u8> = (0..200_000)
            .map(|_| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                ALPHABET[(state >> 33) as usize % ALPHABET.len()]
            })
            .collect();
        let report = crate::diagnose(&text);
        assert_eq!(report.kind, Kind::NotABounce, "{:?}", report.deliveries.iter().take(3).map(|d| (&d.recipient, &d.reply_code, &d.status, d.diagnostic.as_deref().map(|t| &t[..t.len().min(300)]))).collect::<Vec<_>>());
        // Even read as `<addr>:` lines, only syntactically plausible addresses become recipients.
        for delivery in recipient_blocks(&String::from_utf8_lossy(&text)) {
            let recipient = delivery.recipient.unwrap();
            let domain = recipient.rsplit_once('@').unwrap().1;
            assert!(domain.contains('.') && !domain.split('.').any(str::is_empty), "{recipient}");
        }
    }

    #[test]
    fn real_notices_without_codes_still_are_bounces() {
        // Postfix local(8): `<rcpt>: unknown user: "x"`, from the mail system, no reply code.
        let local = read(b"From: MAILER-DAEMON@a.example (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\n\nThis is the mail system at host a.example.\n\n<neko@a.example>: unknown user: \"neko\"\n");
        assert_eq!(decode(&local).map(|d| d.kind), Some(Kind::Bounce));
        // A postmaster's notice in its own words ("Mailbox full").
        let own_words = read(b"From: postmaster@b.example\nSubject: email bounce notice\n\n<neko@b.example>\nMailbox full\n");
        assert_eq!(decode(&own_words).map(|d| d.kind), Some(Kind::Bounce));
        // Pasted text: a reply code in the recipient's line is the evidence.
        let pasted = read(b"<neko@c.example>: host mx.c.example[192.0.2.7] said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n");
        assert_eq!(decode(&pasted).map(|d| d.deliveries.len()), Some(1));
    }

    #[test]
    fn a_pasted_postfix_recipient_line_without_a_code_is_read_when_its_words_name_a_cause() {
        // Postfix's own texts (smtp(8), bounce(5)): no remote reply, so no code.
        for (line, reason) in [
            ("<tanaka@b.example>: TLS is required, but was not offered by host mx.b.example[192.0.2.4]\n", Reason::FailedStartTls),
            ("<tanaka@c.example>: Domain c.example does not accept mail (nullMX)\n", Reason::NotAccept),
            ("<tanaka@d.example>: mail for d.example loops back to myself\n", Reason::SystemError),
        ] {
            let report = crate::diagnose(line.as_bytes());
            assert_eq!(report.kind, Kind::Bounce, "{line}");
            assert_eq!(report.deliveries[0].reason, reason, "{line}");
            assert!(report.deliveries[0].recipient.as_deref().is_some_and(|r| r.starts_with("tanaka@")));
        }
        // The same shape with words that name nothing stays unread.
        assert_eq!(crate::diagnose(b"<tanaka@b.example>: see you on Friday\n").kind, Kind::NotABounce);
    }

    #[test]
    fn a_reply_code_after_a_mail_systems_introduction_is_a_reply() {
        // Exim: "SMTP error from remote mail server after ...:" then the reply.
        let report = crate::diagnose(b"SMTP error from remote mail server after RCPT TO:\n554 Go away, you are not welcome here\n");
        assert_eq!(report.kind, Kind::Bounce);
        assert_eq!(report.deliveries[0].reply_code.as_deref(), Some("554"));
        // A bare number in a pasted sentence stays none.
        assert_eq!(crate::diagnose(b"Our office has 554 chairs and no tables\n").kind, Kind::NotABounce);
    }

    #[test]
    fn a_mail_services_notice_in_any_language_names_its_recipient() {
        // MAILER-DAEMON writing in Dutch and Polish, no code, no English word.
        for raw in [
            "From: MAILER-DAEMON@a.example\nSubject: Onbestelbaar\n\nUw bericht kon niet worden afgeleverd bij:\n\n  piet@b.example\n\nReden: onbekend\n",
            "From: Mail Delivery System <postmaster@a.example>\nSubject: Zwrot\n\nWiadomosc nie dotarla do:\n\n  piotr@b.example\n",
        ] {
            let report = crate::diagnose(raw.as_bytes());
            assert_eq!(report.kind, Kind::Bounce, "{raw}");
            assert_eq!(report.deliveries.len(), 1);
            assert!(report.deliveries[0].recipient.is_some());
        }
        // A person writing the same layout is no notice.
        let letter = "From: Piet <piet@a.example>\nSubject: adres\n\nMijn nieuwe adres is voortaan:\n\n  piet@b.example\n";
        assert_eq!(crate::diagnose(letter.as_bytes()).kind, Kind::NotABounce);
    }

    #[test]
    fn a_pasted_failure_list_under_its_heading_is_a_notice() {
        // Exim's layout: heading with a colon, the address alone and indented, the reason below.
        let pasted = "Uw bericht kon niet worden afgeleverd bij de volgende ontvangers:\n\n  piet@b.example\n    Reden: postvak vol\n";
        let report = crate::diagnose(pasted.as_bytes());
        assert_eq!(report.kind, Kind::Bounce);
        assert_eq!(report.deliveries[0].recipient.as_deref(), Some("piet@b.example"));
        // An address list with no heading above it is not one.
        assert_eq!(crate::diagnose(b"  piet@b.example\n  jan@c.example\n").kind, Kind::NotABounce);
    }

    #[test]
    fn a_personal_reply_quoting_a_reply_in_a_sentence_is_no_bounce() {
        let reply = b"From: Mika <mika@a.example>\nTo: ken@b.example\nSubject: Re: lunch\nIn-Reply-To: <1@b.example>\n\nMy old address bounces with \"550 5.1.1 User unknown\", use this one.\n";
        assert_eq!(crate::diagnose(reply).kind, Kind::NotABounce);
        // The same words pasted alone are a fragment to diagnose.
        let pasted = crate::diagnose(b"My old address bounces with \"550 5.1.1 User unknown\", use this one.\n");
        assert_eq!(pasted.deliveries[0].reason, Reason::UserUnknown);
        // A reply that pastes the notice itself, recipient line and reply, reports it.
        let with_notice = b"From: Mika <mika@a.example>\nTo: help@b.example\nSubject: Re: your question\nIn-Reply-To: <2@b.example>\n\nHere is what came back:\n\n<kai@c.example>: host mx.c.example[192.0.2.8] said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n";
        assert_eq!(crate::diagnose(with_notice).deliveries[0].recipient.as_deref(), Some("kai@c.example"));
    }

    #[test]
    fn labelled_recipients_in_other_languages_and_with_a_full_width_colon() {
        let polish = decode(&read("Adresat: anna@b.example\nOdpowiedz serwera: 550 5.1.1 Mailbox does not exist\n".as_bytes())).unwrap();
        assert_eq!(polish.deliveries[0].recipient.as_deref(), Some("anna@b.example"));
        let chinese = decode(&read("收件人：li@b.example\n远程服务器返回信息：554 5.7.1 rejected\n".as_bytes())).unwrap();
        assert_eq!(chinese.deliveries[0].recipient.as_deref(), Some("li@b.example"));
        let japanese = decode(&read("tanaka@b.example 宛てのメッセージは、受信者のドメインによってブロックされました。\n\n550 5.7.1 blocked\n".as_bytes())).unwrap();
        assert_eq!(japanese.deliveries[0].recipient.as_deref(), Some("tanaka@b.example"));
    }

    #[test]
    fn a_recipient_in_an_html_tables_cell_is_labelled_by_the_cell_beside_it() {
        // HTML-only notices lay the recipient out as a table row: a header or data cell as the
        // label, the address in the next cell.
        for (label, reason) in [("<th>宛先</th>", "<th>エラー</th>"), ("<td>Recipient:</td>", "<td>Reason:</td>")] {
            let html = format!("<html><body><p>配送できませんでした。</p><table><tr>{label}<td>sato@b.example</td></tr>\n<tr>{reason}<td>550 5.1.1 User unknown</td></tr></table></body></html>");
            let raw = format!("From: MAILER-DAEMON@a.example\nSubject: error\nContent-Type: text/html; charset=utf-8\n\n{html}\n");
            let decoded = decode(&read(raw.as_bytes())).unwrap();
            assert_eq!(decoded.deliveries.len(), 1, "{label}");
            assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("sato@b.example"), "{label}");
            assert_eq!(decoded.deliveries[0].reply_code.as_deref(), Some("550"), "{label}");
        }
        // The reason on the row beside the address row is read as it is from `Reason: ...` text.
        for reason in ["Mailbox full", "550 5.2.2 sato: Mailbox full"] {
            let rows = format!("<table><tr><td>Recipient address:</td><td>sato@b.example</td></tr>\n<tr><td>Reason:</td><td>{reason}</td></tr></table>");
            let text = format!("Recipient address: sato@b.example\nReason: {reason}\n");
            let html = read(format!("From: MAILER-DAEMON@a.example\nSubject: error\nContent-Type: text/html\n\n{rows}\n").as_bytes());
            let plain = read(format!("From: MAILER-DAEMON@a.example\nSubject: error\n\n{text}").as_bytes());
            let diagnostic = |mail| decode(&mail).and_then(|d| d.deliveries.into_iter().next()).and_then(|d| d.diagnostic);
            assert_eq!(diagnostic(html), Some(reason.to_owned()), "{reason}");
            assert_eq!(diagnostic(plain), Some(reason.to_owned()), "{reason}");
        }
        // A row of a sentence and an address is no label.
        let notice = "From: MAILER-DAEMON@a.example\nSubject: error\nContent-Type: text/html\n\n<table><tr><td>Your message could not be delivered to the address here</td><td>sato@b.example</td></tr></table>\n";
        assert!(decode(&read(notice.as_bytes())).is_none_or(|d| d.deliveries.iter().all(|d| d.recipient.is_none())));
    }

    #[test]
    fn the_sender_a_wrapped_reply_refuses_is_no_recipient() {
        let notice = "<kai@b.example>: host mx.b.example[192.0.2.8] said: 553\n    5.1.8 <me@a.example>: Sender address rejected: Domain\n    not found (in reply to RCPT TO command)\n";
        let deliveries = recipient_blocks(notice);
        assert_eq!(deliveries.len(), 1);
        assert_eq!(deliveries[0].recipient.as_deref(), Some("kai@b.example"));
        assert_eq!(deliveries[0].diagnostic.as_deref(), Some("553 5.1.8 <me@a.example>: Sender address rejected: Domain not found (in reply to RCPT TO command)"));
        // Pasted without the indentation, the same.
        let flat = recipient_blocks(&notice.replace("\n    ", "\n"));
        assert_eq!(flat.len(), 1);
        assert_eq!(flat[0].diagnostic, deliveries[0].diagnostic);
    }

    #[test]
    fn exchange_japanese_delay_notice_is_a_delay() {
        let notice = "From: postmaster@corp.example\nSubject: 配信が遅れています: 見積書\n\n次の受信者またはグループへの配信が遅れています:\n\nsato@client.example\n\n件名: 見積書\n\nこのメッセージはまだ配信されていません。配信の試行は続行されます。\n\nsato@client.example\nRemote Server at mx.client.example (192.0.2.40) returned '451 4.4.0 DNS query failed'\n";
        let decoded = decode(&read(notice.as_bytes())).unwrap();
        assert_eq!(decoded.kind, Kind::Delay);
        assert!(decoded.deliveries.iter().all(|d| d.action == Some(Action::Delayed)));
        // The body alone says it too, with no subject.
        assert!(is_delay_notice("サーバーは、今後 2 日間、このメッセージの配信を試行し続けます。", ""));
    }

    #[test]
    fn exim_names_the_recipient_in_its_rcpt_to() {
        let paste = "SMTP error from remote mail server after RCPT TO:<kaori@club.example>:\n550 5.7.1 Relaying denied\n";
        let mut mail = read(paste.as_bytes());
        mail.is_fragment = true;
        let decoded = decode(&mail).unwrap();
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("kaori@club.example"));
    }

    #[test]
    fn pasted_words_without_a_code_tell_the_action_only_when_they_say_it() {
        let action = |words: &str| pasted_action(&Delivery { diagnostic: Some(words.to_owned()), ..Delivery::default() }, false);
        // RFC 7505: a null MX is permanent.
        assert_eq!(action("Domain shop.example does not accept mail (nullMX)"), Some(Action::Failed));
        // EX_TEMPFAIL (75): the local delivery is deferred.
        assert_eq!(action("Command died with status 75: \"/usr/bin/maildrop\""), Some(Action::Delayed));
        // Words that occur in deferrals and in returns alike say nothing of it.
        assert_eq!(action("TLS is required, but was not offered by host mx.bank.example[192.0.2.3]"), None);
        assert_eq!(action("Command died with status 1: \"/usr/bin/procmail\""), None);
    }

    #[test]
    fn a_pasted_header_block_names_the_notices_addressee_not_the_failed_recipient() {
        // A Chinese notice copied with the header lines its mail client printed above it.
        let paste = "发件人: 邮件系统 <postmaster@mail.a.example>\n收件人: chen@a.example\n主题: 退信通知\n\n您发送的邮件未能送达。\n收件人：zhao@b.example\n原因：552 5.2.2 Quota exceeded for this mailbox\n";
        let report = crate::diagnose(paste.as_bytes());
        assert_eq!(report.kind, Kind::Bounce);
        assert_eq!(report.deliveries.len(), 1);
        assert_eq!(report.deliveries[0].recipient.as_deref(), Some("zhao@b.example"));
        assert_eq!(report.deliveries[0].reason, Reason::MailboxFull);
        assert_eq!(report.deliveries[0].action, Some(Action::Failed));
        // A first paragraph with one address is a labelled summary, not a header block.
        assert_eq!(pasted_header_block(&["Recipient: zhao@b.example", "Reason: mailbox full", "Status: 5.2.2"]), 0);
        assert_eq!(pasted_header_block(&["From: a@a.example", "To: b@a.example", "Date: today", "", "text"]), 3);
    }

    /// Exchange's Japanese notice, as its template reads, under the given header lines.
    fn exchange_japanese(headers: &str, delayed: bool) -> String {
        let (heading, words) = if delayed {
            ("次の受信者またはグループへの配信が遅れています:", "451 4.4.0 Primary target IP address responded with: 421 Try again later")
        } else {
            ("次の受信者またはグループへの配信に失敗しました:", "550 5.1.1 Requested action not taken: mailbox unavailable")
        };
        format!("{headers}\n{heading}\n\nyamada@c.example (yamada@c.example)\n\n件名: 見積書\n\n管理者向けの診断情報:\n\n生成元サーバー: OS0PR01MB0001.jpnprd01.prod.outlook.com\n\nyamada@c.example\nリモート サーバーから '{words}' が返されました\n")
    }

    #[test]
    fn exchanges_japanese_notices_are_notices_under_any_header() {
        let from = "From: Microsoft Outlook <postmaster@a.example>\nTo: kato@a.example\nContent-Type: text/plain; charset=utf-8\n";
        for (subject, auto, delayed) in [("配信不能: 見積書", "auto-generated", false), ("FW: 配信不能: 見積書", "", false), ("転送: 配信の遅延: 見積書", "auto-replied", true), ("配信の遅延: 見積書", "auto-replied", true)] {
            let auto = if auto.is_empty() { String::new() } else { format!("Auto-Submitted: {auto}\n") };
            let headers = format!("{from}Subject: {subject}\n{auto}");
            let report = crate::diagnose(exchange_japanese(&headers, delayed).as_bytes());
            assert_eq!(report.kind, if delayed { Kind::Delay } else { Kind::Bounce }, "{subject}");
            let delivery = &report.deliveries[0];
            assert_eq!(delivery.recipient.as_deref(), Some("yamada@c.example"), "{subject}");
            // The quoted reply, without the sentence around it.
            let expected = if delayed { "451 4.4.0" } else { "550 5.1.1" };
            assert!(delivery.diagnostic.as_deref().is_some_and(|d| d.starts_with(expected) && !d.contains('\'') && !d.contains("返され")), "{subject}: {:?}", delivery.diagnostic);
        }
        // The body alone, or under an English subject, reads the same.
        for headers in ["", "From: Microsoft Outlook <postmaster@a.example>\nSubject: Undeliverable: quote\n"] {
            let report = crate::diagnose(exchange_japanese(headers, false).as_bytes());
            assert_eq!(report.kind, Kind::Bounce);
            assert_eq!(report.deliveries[0].reason, Reason::UserUnknown);
        }
    }

    /// Exchange's Japanese delay notice in the wording "配信が遅延しています" / "配信の試行は継続
    /// されます", with the host between "リモート サーバー" and the quoted reply.
    fn exchange_japanese_delay(attempts: &str) -> String {
        format!(
            "From: Microsoft Outlook <MicrosoftExchange0123@a.example>\nTo: kato@a.example\nDate: Tue, 01 Dec 2026 10:00:00 +0900\nSubject: 配信が遅延しています: 見積書\nContent-Type: text/plain; charset=utf-8\n\n\
             次の受信者へのメッセージの配信が遅延しています:\n\nyamada@c.example\n\n件名: 見積書\n\nこのメッセージはまだ配信されていません。配信の試行は継続されます。\n\n\
             サーバーは、今後 20 時間 30 分にわたってこのメッセージの配信を試行します。\n\n管理者向けの診断情報:\n\n{attempts}\n"
        )
    }

    #[test]
    fn exchanges_japanese_delay_reads_like_the_english_one() {
        let single = exchange_japanese_delay("リモート サーバー mx.c.example (192.0.2.7) から '421 4.4.2 Connection dropped due to timeout' が返されました");
        let report = crate::diagnose(single.as_bytes());
        assert_eq!(report.kind, Kind::Delay);
        let delivery = &report.deliveries[0];
        assert_eq!(delivery.recipient.as_deref(), Some("yamada@c.example"));
        assert_eq!(delivery.action, Some(Action::Delayed));
        assert_eq!(delivery.diagnostic.as_deref(), Some("421 4.4.2 Connection dropped due to timeout"));
        assert_eq!(delivery.retry_until.as_deref(), Some("2026-12-02T06:30:00+09:00"));
        // With an attempt list under the expiry summary, the newest attempt's reply is the words.
        let listed = exchange_japanese_delay(
            "yamada@c.example\nリモート サーバー mx.c.example (192.0.2.7) から '400 4.4.7 Message delayed' が返されました\n\
             2026/12/01 0:55:10 - リモート サーバー mx.c.example (192.0.2.7) から '452 4.2.2 Mailbox full' が返されました",
        );
        let report = crate::diagnose(listed.as_bytes());
        assert_eq!(report.kind, Kind::Delay);
        assert_eq!(report.deliveries[0].diagnostic.as_deref(), Some("452 4.2.2 Mailbox full"));
        assert_eq!(report.deliveries[0].reason, Reason::MailboxFull);
    }

    /// The one delivery a notice reports.
    fn the_one_delivery(notice: &str) -> Delivery {
        let report = crate::diagnose(notice.as_bytes());
        assert_eq!(report.deliveries.len(), 1, "{notice}");
        report.deliveries.into_iter().next().expect("one delivery")
    }

    #[test]
    fn an_address_refused_as_the_sender_is_not_the_recipient() {
        // Sendmail's queue return: the recipient on its own line, the reply about the sender
        // (RFC 3463 X.1.8) in its reason line and in the transcript.
        let notice = "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.a.example>\nSubject: Returned mail: see transcript for details\n\n   ----- The following addresses had permanent fatal errors -----\n<sato@b.example>\n    (reason: 553 5.1.8 <info@shop.a.example>... Domain of sender address info@shop.a.example does not exist)\n\n   ----- Transcript of session follows -----\n... while talking to mx.b.example.:\n>>> MAIL From:<info@shop.a.example>\n<<< 553 5.1.8 <info@shop.a.example>... Domain of sender address info@shop.a.example does not exist\n";
        let delivery = the_one_delivery(notice);
        assert_eq!(delivery.recipient.as_deref(), Some("sato@b.example"));
        assert_eq!(delivery.status.as_deref(), Some("5.1.8"));
        // An X.1.1 reply before the address names the recipient, as ever.
        let unknown = notice.replace("553 5.1.8 <info@shop.a.example>... Domain of sender address info@shop.a.example does not exist", "550 5.1.1 <sato@b.example>... User unknown").replace(">>> MAIL From:<info@shop.a.example>", ">>> RCPT To:<sato@b.example>");
        let delivery = the_one_delivery(&unknown);
        assert_eq!((delivery.recipient.as_deref(), delivery.reason), (Some("sato@b.example"), Reason::UserUnknown));
    }

    #[test]
    fn a_refused_rcpt_in_a_transcript_names_the_recipient() {
        let notice = "From: MDaemon@mail.a.example\nSubject: Permanent Delivery Failure\n\nThe attached message had PERMANENT fatal delivery errors!\n\n--- Session Transcript ---\n Tue 2026-12-01 09:00:01.100: Attempting SMTP connection to [mx.b.example:25]\n Tue 2026-12-01 09:00:01.300: --> MAIL From:<kato@a.example>\n Tue 2026-12-01 09:00:01.400: <-- 250 2.1.0 Ok\n Tue 2026-12-01 09:00:01.500: --> RCPT To:<Ito.Ken@b.example>\n Tue 2026-12-01 09:00:01.600: <-- 550 5.1.1 No such user here\n--- End Transcript ---\n";
        let delivery = the_one_delivery(notice);
        assert_eq!((delivery.recipient.as_deref(), delivery.smtp_command.as_deref()), (Some("Ito.Ken@b.example"), Some("RCPT")));
        assert_eq!(delivery.reason, Reason::UserUnknown);
        // Two refused recipients: the transcript does not say which one the reply was for.
        let two = notice.replace("--- End", " Tue 2026-12-01 09:00:01.700: --> RCPT To:<mori@b.example>\n Tue 2026-12-01 09:00:01.800: <-- 550 5.1.1 No such user here\n--- End");
        assert_eq!(RefusedCommands::read(notice).only_refused_recipient(), Some("Ito.Ken@b.example"));
        assert_eq!(RefusedCommands::read(&two).only_refused_recipient(), None);
        // The session's one recipient accepted, its DATA refused: that recipient's message failed.
        let data = notice.replace("550 5.1.1 No such user here", "250 2.1.5 Ok").replace("--- End", " Tue 2026-12-01 09:00:01.700: --> DATA\n Tue 2026-12-01 09:00:01.800: <-- 554 5.7.1 Message rejected as spam\n--- End");
        let delivery = the_one_delivery(&data);
        assert_eq!((delivery.recipient.as_deref(), delivery.smtp_command.as_deref()), (Some("Ito.Ken@b.example"), Some("DATA")));
    }

    #[test]
    fn atesaki_labels_the_recipient_in_japanese_text() {
        for paste in [
            "宛先 suzuki@d.example\nエラー内容:\n550 5.1.1 User unknown\n",
            "宛先：suzuki@d.example\n550 5.1.1 User unknown\n",
            "宛先 suzuki@d.example へのメールは配信できませんでした。\n  550 5.1.1 User unknown\n",
        ] {
            assert_eq!(the_one_delivery(paste).recipient.as_deref(), Some("suzuki@d.example"), "{paste}");
        }
        // The 宛先 of the notice's own header block, as Outlook prints it, is who got the notice.
        let copied = "差出人: MAILER-DAEMON@mail.a.example\n宛先: kato@a.example\n件名: エラー\n\n送信できませんでした。\n550 5.1.1 User unknown\n";
        let report = crate::diagnose(copied.as_bytes());
        assert!(report.deliveries.iter().all(|d| d.recipient.as_deref() != Some("kato@a.example")), "{:?}", report.deliveries);
    }
}
