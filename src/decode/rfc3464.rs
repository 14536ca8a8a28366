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
    let is_embedded = !embedded.is_empty();
    let parts = if mail.status.is_empty() { &embedded } else { &mail.status };
    for part in parts {
        let report = dsn::parse(part);
        if arrival.is_none() {
            arrival = report.per_message.get("arrival-date").and_then(time::parse_to_rfc3339);
        }
        // Postfix returns a message that outlived maximal_queue_lifetime ("the maximal time a
        // message is queued before it is sent back as undeliverable", qmgr(8), postconf(5)) with
        // its last deferral: `Action: failed` beside that deferral's 4.X.X status, its notice
        // text saying nothing of time. Its DSNs carry X-Postfix-Queue-ID (bounce(8)'s reports;
        // sisimai's Postfix expiry samples lhost-postfix-08, -15, -37 have that shape). Other
        // MTAs fail with 4.X.X for other causes (Microsoft SMTPSVC's loop, 4.4.6, in rfc3464-40),
        // so only Postfix's report says it.
        let from_postfix = report.per_message.get("x-postfix-queue-id").is_some();
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
            // RFC 3464 §2.3.2 allows address types other than rfc822, and its own example
            // (appendix, "Final-Recipient: unknown; nair_s") names a directory entry: that
            // name is the recipient when no mail address is given.
            let recipient = recipient.or_else(|| pipe.is_none().then(|| fields.typed("final-recipient").and_then(directory_name)).flatten());
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
            delivery.gave_up_for_time = delivery.action == Some(Action::Failed) && delivery.status.as_deref().is_some_and(|s| s.get(1..) == Some(".4.7") || (from_postfix && s.starts_with("4.")));
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
    complete_from_notice(mail, &mut deliveries, is_embedded);
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
/// Status fields written into the text (`embedded`) come after the notice's own words, and a
/// paste often cuts them short: there the text's reply for the recipient wins over a missing or
/// cut `Diagnostic-Code` (field/exim-gmail-5726.txt: Exim's text, then a DSN block ending at
/// `Remote-MTA`; field/postfix-icloud-proofpoint.txt: Postfix's text, then its fields).
fn complete_from_notice(mail: &Mail, deliveries: &mut [Delivery], embedded: bool) {
    let notice = crate::decode::notice_text(mail);
    let mut blocks = text::recipient_blocks(notice);
    if embedded {
        // Exim's shape: the address, its reply indented below it.
        let exim_like = crate::decode::address_blocks(notice, crate::decode::Continuation::Indented);
        let words = exim_like.into_iter().filter(|b| !b.lines.is_empty()).filter_map(|b| {
            let text = crate::decode::join_lines(b.lines.iter().copied());
            let code = crate::smtp::find_failure_reply_code(&text)?;
            let from_code = &text[text.find(code)?..];
            Some(Delivery { recipient: Some(b.recipient), diagnostic: Some(from_code.to_owned()), ..Delivery::default() })
        });
        let mut named: std::collections::HashSet<String> = blocks.iter().filter_map(|b| b.recipient.clone()).collect();
        for found in words {
            if found.recipient.as_ref().is_some_and(|r| named.insert(r.clone())) {
                blocks.push(found);
            }
        }
        // Where the paste stops inside the last `Diagnostic-Code`, the text's own copy of the
        // reply is the whole of it.
        let body_end = squeeze(mail.body.get(mail.body.len().saturating_sub(2048)..).unwrap_or(&mail.body));
        let by_recipient: std::collections::HashMap<&str, &str> =
            blocks.iter().rev().filter_map(|b| Some((b.recipient.as_deref()?, b.diagnostic.as_deref()?))).collect();
        for delivery in deliveries.iter_mut() {
            let own = delivery.recipient.as_deref().and_then(|r| by_recipient.get(r)).copied();
            let cut = match (delivery.diagnostic.as_deref(), own) {
                (Some(field), Some(text)) => {
                    let field = squeeze(field);
                    text.len() > field.len() && squeeze(text).starts_with(&field) && body_end.ends_with(&field)
                }
                _ => false,
            };
            if cut {
                delivery.diagnostic = None;
            }
        }
    }
    let by_recipient: std::collections::HashMap<&str, &Delivery> = blocks.iter().filter_map(|b| Some((b.recipient.as_deref()?, b))).collect();
    let whole_command = crate::smtp::find_command(notice);
    let recipients: Vec<String> = deliveries.iter().filter_map(|d| d.recipient.clone()).collect();
    for delivery in deliveries.iter_mut() {
        if says_only_delayed(delivery)
            && let Some(words) = retry_reply(notice, delivery.recipient.as_deref(), &recipients)
        {
            // The text names what the remote server answered: that decides, not the summary.
            delivery.diagnostic = Some(words);
            delivery.reply_code = None;
        }
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
                // A delay notice's sentence that only says it retries is no cause ("There was a
                // temporary problem delivering your message to X. Gmail will retry ...").
                && !(delivery.action == Some(Action::Delayed) && text::states_retrying(&sentence.to_ascii_lowercase()))
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

/// A delay whose status part says only that it is delayed: `Status: 4.4.7` ("Delivery time
/// expired", RFC 3463 §3.5) with no `Diagnostic-Code`, or one that repeats it in words (Exchange
/// and Exchange Online write `Diagnostic-Code: smtp;400 4.4.7 Message delayed`, a code of their
/// own and no remote server's reply; seen in field/exchange-delay-447 and in the delay notices
/// people posted at pastebin.com/bAWb37W3 and pastebin.com/rgjcnYmZ).
fn says_only_delayed(delivery: &Delivery) -> bool {
    if delivery.status.as_deref() != Some("4.4.7") {
        return false;
    }
    let Some(diagnostic) = delivery.diagnostic.as_deref() else { return true };
    let words: Vec<String> = diagnostic
        .split_whitespace()
        .filter(|w| !w.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-'))
        .map(|w| w.trim_end_matches('.').to_ascii_lowercase())
        .collect();
    words.is_empty() || words == ["message", "delayed"]
}

/// The remote server's reply that the notice's text quotes for a recipient. Exchange's
/// "Diagnostic information for administrators" lists, under each recipient, the summary
/// (`Remote Server at HOST (IP) returned '400 4.4.7 Message delayed'`) and then each attempt,
/// newest first (`DATE - Remote Server at HOST (IP) returned '451 4.4.0 ...'`): the first quoted
/// reply that is not itself an expiry (`x.4.7`) is what the server said (Microsoft's "Fix NDR
/// error 550 4.4.7 in Exchange Online": "record the error that follows"; the notices posted at
/// pastebin.com/bAWb37W3, pastebin.com/rgjcnYmZ, pastebin.com/EimgND2Y). A quote is the
/// recipient's when that recipient is the last one named before it (one recipient: all are).
/// Exchange's Japanese notices quote the same way, `... から '451 4.4.0 ...' が返されました`
/// (see `text::REPLY_INTRODUCTIONS`).
pub(super) fn retry_reply(notice: &str, recipient: Option<&str>, recipients: &[String]) -> Option<String> {
    const RETURNED: &[&str] = &["returned '", "から '"];
    let lower = notice.to_ascii_lowercase();
    let recipient = recipient?.to_ascii_lowercase();
    let named: Vec<String> = recipients.iter().map(|r| r.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some((found, opener)) = RETURNED.iter().filter_map(|o| Some((lower[from..].find(o)?, o.len()))).min() {
        let start = from + found + opener;
        from = start;
        if named.len() > 1 {
            let before = &lower[..start];
            let owner = named.iter().filter_map(|r| Some((before.rfind(r.as_str())?, r))).max_by_key(|(at, _)| *at).map(|(_, r)| r);
            if owner != Some(&recipient) {
                continue;
            }
        }
        // The quote ends where a `'` ends a line; a reply may hold apostrophes of its own.
        let rest = &notice[start..];
        let end = rest.match_indices('\'').map(|(at, _)| at).find(|&at| {
            let after = rest[at + 1..].trim_start_matches([' ', '\t', '\r']);
            after.starts_with('\n') || after.starts_with("が返され") || after.trim().is_empty()
        });
        let quoted = crate::decode::join_lines(rest[..end.unwrap_or_else(|| rest.find('\n').unwrap_or(rest.len()))].lines());
        if quoted.is_empty() || crate::smtp::find_status(&quoted).is_some_and(|s| s.ends_with(".4.7")) {
            continue;
        }
        return Some(primary_target_reply(&quoted).unwrap_or(quoted));
    }
    None
}

/// Exchange's own `451 4.4.0 Primary target IP address responded with: "REPLY." Attempted
/// failover to alternate host, but that did not succeed ...` wraps the reply of the host it tried
/// (Microsoft's "Fix NDR error 550 4.4.7 in Exchange Online" and KB 4051498, whose example wraps
/// "421 4.4.1 Connection timed out."; pastebin.com/rgjcnYmZ and pastebin.com/EimgND2Y): that
/// reply, without the copies of Exchange's own code that Exchange
/// writes into each of its lines, is the server's words.
fn primary_target_reply(quoted: &str) -> Option<String> {
    const RESPONDED: &str = "responded with: \"";
    let at = quoted.to_ascii_lowercase().find(RESPONDED)? + RESPONDED.len();
    let inner = &quoted[at..];
    let inner = inner[..inner.rfind('"')?].trim_end_matches('.');
    let wrapper: Vec<&str> = quoted.split_whitespace().take(2).collect();
    let (code, status) = (wrapper.first()?.get(..3)?, crate::smtp::find_status(quoted)?);
    let own_prefixes = [format!("{code}-{status} "), format!("{code} {status} ")];
    let mut reply = inner.to_owned();
    for prefix in &own_prefixes {
        reply = reply.replace(prefix.as_str(), "");
    }
    let reply = reply.trim().to_owned();
    (!reply.is_empty()).then_some(reply)
}

/// A recipient named by a single word without `@` (`unknown; nair_s`, `x400; ...` cut to one
/// token): the name as written.
fn directory_name(value: &str) -> Option<String> {
    let name = value.trim().trim_matches(['<', '>', '"']);
    let plain = !name.is_empty() && !name.contains(char::is_whitespace) && !name.contains(['@', '|', '/', ';']);
    plain.then(|| name.to_owned())
}

/// Text without its whitespace, to compare words wrapped differently.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
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
/// A sentence that ends with the address leads into the lines below it in the same paragraph:
/// CommuniGate Pro writes "Failed to deliver to '<a@b>'", then "LOCAL module(account a)
/// reports:" or "SMTP module(domain b) reports:" and the words below
/// (field/communigate-local-quota.eml, public/bounce_email tt_bounce_05).
fn sentence_naming(notice: &str, recipient: Option<&str>) -> Option<String> {
    let recipient = recipient?;
    let is_field = |line: &str| crate::decode::field_name(line).is_some();
    // A sentence, not a bare address line: two words or more beside the address. Short ones
    // count too when the address is not an Internet one ("Invalid address - tama_n" beside
    // `Final-Recipient: unknown; tama_n`, RFC 3464 §2.3.2's other address types).
    // A label before the address ("Recipient address: a@b") is not a sentence either.
    let is_sentence = |line: &str| {
        let Some((before, after)) = line.split_once(recipient) else { return false };
        let words = |part: &str| part.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 2).count();
        let labelled = before.trim_end_matches([' ', '<', '\'', '"']).ends_with(':') && words(after) == 0;
        words(before) + words(after) >= 2 && !labelled && !is_field(line)
    };
    let mut lines = notice.lines().map(str::trim).skip_while(|l| !is_sentence(l));
    let first = lines.next()?;
    let leads_on = first.trim_end_matches(['\'', '"', '<', '>', ':', '.']).ends_with(recipient);
    let rest = lines.take_while(|l| leads_on && !l.is_empty() && !l.starts_with("--") && !is_field(l)).take(5);
    Some(crate::decode::join_lines(std::iter::once(first).chain(rest)))
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

    #[test]
    fn a_recipient_of_another_address_type_is_named_as_written() {
        let raw = b"From: postmaster@a.example\nSubject: Delivery report\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nInvalid address - tama_n\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: mailbus; HOST1\n\nFinal-Recipient: unknown; tama_n\nStatus: 5.0.0\nAction: failed\n\n--b--\n";
        let decoded = decode(&read(raw)).unwrap();
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("tama_n"));
        // The notice's short sentence about it is the only wording there is.
        assert_eq!(decoded.deliveries[0].reason, Reason::UserUnknown);
    }

    #[test]
    fn status_fields_cut_off_after_the_text_do_not_override_it() {
        let pasted = "A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  neko@b.example\n    host mx.b.example [198.51.100.7]\n    SMTP error from remote mail server after RCPT TO:<neko@b.example>:\n    550 5.1.1 No such user here\nReporting-MTA: dns; mx.a.example\n\nAction: failed\nFinal-Recipient: rfc822;neko@b.example\nStatus: 5.0.0\n";
        let decoded = decode(&read(pasted.as_bytes())).unwrap();
        let delivery = &decoded.deliveries[0];
        assert_eq!(delivery.status.as_deref(), Some("5.1.1"));
        assert_eq!(delivery.reply_code.as_deref(), Some("550"));
        assert_eq!(delivery.diagnostic.as_deref(), Some("550 5.1.1 No such user here"));
        let cut = "<neko@b.example>: host mx.b.example[198.51.100.7] said: 550 5.1.1 <neko@b.example>:\n    Recipient address rejected: User unknown (in reply to RCPT TO command)\n\nReporting-MTA: dns; mx.a.example\n\nFinal-Recipient: rfc822; neko@b.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <neko@b.example>: Recipient address rej";
        let decoded = decode(&read(cut.as_bytes())).unwrap();
        assert_eq!(decoded.deliveries[0].diagnostic.as_deref(), Some("550 5.1.1 <neko@b.example>: Recipient address rejected: User unknown (in reply to RCPT TO command)"));
    }

    /// An Exchange delay notice as its layout is documented: the text part, then the status part.
    fn exchange_delay(diagnostics: &str, status: &str) -> Decoded {
        let raw = format!("From: Microsoft Outlook <postmaster@a.example>\nSubject: Delivery delayed: plans\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nDelivery is delayed to these recipients or groups:\n\nkoji@b.example\n\nThis message hasn't been delivered yet. Delivery will continue to be attempted.\n\nDiagnostic information for administrators:\n\nGenerating server: EX1.a.example\n\n{diagnostics}\nOriginal message headers:\n\nSubject: plans\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;EX1.a.example\n\nFinal-Recipient: rfc822;koji@b.example\nAction: delayed\n{status}Will-Retry-Until: Thu, 3 Dec 2026 10:00:00 +0900\n\n--b--\n");
        decode(&read(raw.as_bytes())).unwrap()
    }

    #[test]
    fn a_delay_that_says_only_delayed_takes_the_servers_reply_from_the_text() {
        let dsn = "Status: 4.4.7\nDiagnostic-Code: smtp;400 4.4.7 Message delayed\n";
        let wrapped = exchange_delay("koji@b.example\nRemote Server at mx.b.example (198.51.100.3) returned '400 4.4.7 Message delayed'\n12/1/2026 9:40:02 AM - Remote Server at mx.b.example (198.51.100.3) returned '451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped due to SocketError.\" Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 198.51.100.3:25'\n", dsn);
        let d = &wrapped.deliveries[0];
        assert_eq!(wrapped.kind, Kind::Delay);
        assert_eq!(d.diagnostic.as_deref(), Some("421 4.4.2 Connection dropped due to SocketError"));
        assert_eq!((d.reply_code.as_deref(), d.status.as_deref()), (Some("421"), Some("4.4.2")));
        // Exchange's own code, written into each line of a multi-line reply, is not the server's.
        let multi = exchange_delay("koji@b.example\nRemote Server at mx.b.example (198.51.100.3) returned '400 4.4.7 Message delayed'\n12/1/2026 9:40:02 AM - Remote Server at mx.b.example (198.51.100.3) returned '451-4.4.0 Primary target IP address responded with: \"554-mx.b.example No SMTP service 451-4.4.0 554 Bad DNS PTR resource record.\" Attempted failover to alternate host, but that did not succeed.'\n", dsn);
        let words = multi.deliveries[0].diagnostic.as_deref().unwrap();
        assert!(words.starts_with("554") && words.ends_with("Bad DNS PTR resource record") && !words.contains("4.4.0"), "{words}");
        assert_eq!(multi.deliveries[0].reply_code.as_deref(), Some("554"));
        // Exchange's own failure to resolve, quoted as the server's answer, stays whole.
        let dns = exchange_delay("koji@b.example\nServer at EX1.a.example returned '451 4.4.0 DNS query failed. The error was: DNS query failed with error: ServerFailure'\n", "Status: 4.4.7\n");
        assert_eq!(dns.deliveries[0].diagnostic.as_deref(), Some("451 4.4.0 DNS query failed. The error was: DNS query failed with error: ServerFailure"));
        // A status part with the server's own reply keeps it.
        let own = exchange_delay("koji@b.example\nRemote Server returned '451 4.4.0 something else'\n", "Status: 4.4.7\nDiagnostic-Code: smtp;451 4.7.1 Greylisted, try again later\n");
        assert_eq!(own.deliveries[0].diagnostic.as_deref(), Some("451 4.7.1 Greylisted, try again later"));
        // Nothing but the summary: the summary stays.
        let bare = exchange_delay("koji@b.example\nRemote Server at mx.b.example (198.51.100.3) returned '400 4.4.7 Message delayed'\n", dsn);
        assert_eq!(bare.deliveries[0].diagnostic.as_deref(), Some("400 4.4.7 Message delayed"));
    }

    #[test]
    fn a_delays_retry_sentence_is_not_its_cause() {
        let raw = "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Delay)\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n** Delivery incomplete **\n\nThere was a temporary problem delivering your message to mike@example.net. Gmail will retry for 45 more hours. You'll be notified if the delivery fails permanently.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; googlemail.com\n\nFinal-Recipient: rfc822; mike@example.net\nAction: delayed\nStatus: 4.0.0\n\n--b--\n";
        let report = crate::diagnose(raw.as_bytes());
        assert_eq!(report.kind, Kind::Delay);
        assert_eq!(report.deliveries[0].diagnostic, None);
        assert_ne!(report.deliveries[0].reason, Reason::SystemError);
    }

    #[test]
    fn each_recipient_takes_the_replies_listed_under_it() {
        let notice = "a@b.example\nRemote Server returned '400 4.4.7 Message delayed'\nDATE - Remote Server returned '452 4.2.2 Mailbox full'\nc@d.example\nDATE - Remote Server returned '421 4.4.1 Connection timed out'\n";
        let recipients = ["a@b.example".to_owned(), "c@d.example".to_owned()];
        assert_eq!(retry_reply(notice, Some("a@b.example"), &recipients).as_deref(), Some("452 4.2.2 Mailbox full"));
        assert_eq!(retry_reply(notice, Some("c@d.example"), &recipients).as_deref(), Some("421 4.4.1 Connection timed out"));
    }

    #[test]
    fn a_sentence_ending_with_the_address_leads_into_the_words_below() {
        let notice = "Failed to deliver to '<neko@b.example>'\nLOCAL module(account neko) reports:\n account is full (quota exceeded)\n\nmore\n";
        assert_eq!(sentence_naming(notice, Some("neko@b.example")).as_deref(), Some("Failed to deliver to '<neko@b.example>' LOCAL module(account neko) reports: account is full (quota exceeded)"));
        let gmail = "Your message wasn't delivered to neko@b.example because the address couldn't be found.\nCheck for typos.\n";
        assert_eq!(sentence_naming(gmail, Some("neko@b.example")).as_deref(), Some("Your message wasn't delivered to neko@b.example because the address couldn't be found."));
        assert_eq!(sentence_naming("Final-Recipient: rfc822; neko@b.example\nAction: failed\n", Some("neko@b.example")), None);
    }

    #[test]
    fn a_report_that_gave_up_for_time_says_so_beside_the_last_reply() {
        let raw = b"From: MAILER-DAEMON@a.example\nSubject: Returned mail\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nGave up.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; aoi@far.example\nAction: failed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 421 4.4.2 mx.far.example Error: session ended early\n\n--b--\n";
        let report = crate::diagnose(raw);
        assert_eq!(report.deliveries[0].reason, Reason::Expired);
        assert!(decode(&crate::message::read(raw)).unwrap().deliveries[0].gave_up_for_time);
    }

    /// A DSN with `per_message` fields and one recipient whose deferral status and reply are
    /// `status` and `reply`, returned as failed.
    fn failed_with(per_message: &str, status: &str, reply: &str) -> Reason {
        let raw = format!("From: MAILER-DAEMON@a.example\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nThis is the mail system at host a.example.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; a.example\n{per_message}\nFinal-Recipient: rfc822; aoi@far.example\nAction: failed\nStatus: {status}\nDiagnostic-Code: smtp; {reply}\n\n--b--\n");
        crate::diagnose(raw.as_bytes()).deliveries[0].reason
    }

    #[test]
    fn postfix_returning_a_deferral_as_failed_gave_up_for_time_and_only_postfix() {
        let postfix = "X-Postfix-Queue-ID: 4AB1C2D3E4\nX-Postfix-Sender: rfc822; ken@a.example\n";
        let causeless = "421 4.4.2 mx.far.example Error: session ended early";
        assert_eq!(failed_with(postfix, "4.4.2", causeless), Reason::Expired);
        // Another MTA's failed 4.X.X is not read as a give-up for time.
        assert_eq!(failed_with("", "4.4.2", causeless), Reason::NetworkError);
        // The last reply names a cause: it stays (lhost-postfix-05's shape).
        assert_eq!(failed_with(postfix, "4.1.1", "450 4.1.1 <aoi@far.example>: Recipient address rejected: User unknown in local recipient table"), Reason::UserUnknown);
        // A permanent refusal is no give-up for time.
        assert_eq!(failed_with(postfix, "5.4.2", causeless), Reason::NetworkError);
    }
}
