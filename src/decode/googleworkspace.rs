//! Google's own notice (Gmail, Google Workspace) when its delivery-status part is missing or
//! empty: a `** Message not delivered **` headline, Google's explanation, then "The response
//! was:" (or "The response from the remote server was:") and the words of the server it spoke
//! to. The explanation names the recipient ("wasn't delivered to a@b") when one recipient
//! failed; when it names none, the whole message failed (e.g. at the sender's own outgoing
//! server of a "Send mail as" alias), so every recipient of the returned message did.

use crate::decode::{Decoded, clean_address, complete_from_diagnostic, first_address, header_in_block, join_lines};
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind};

/// Where the server's words start, and whose they are: Google writes "The response from the
/// remote server was:" before the reply of the server it spoke to, and "The response was:" also
/// before its own findings as well as remote replies (its DNS errors in sisimai rfc3464-52 and
/// rhost-gsuite-13, a refused "Send mail as" login in lhost-googleworkspace-01, a Groups verdict in
/// rfc3464-61, "550 : User unknown" in rfc3464-57).
const REMOTE_MARKER: &str = "the response from the remote server was:";
const RESPONSE_MARKERS: &[&str] = &[REMOTE_MARKER, "the response was:"];

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let notice = crate::decode::notice_text(mail);
    // Pasted without its header, the notice is still told by its layout: it opens with the
    // `** ... **` headline (Gmail's notices in the corpora: sisimai rhost-gsuite-06, field/gmail-*).
    let pasted_layout = mail.is_fragment && notice.lines().find(|l| !l.trim().is_empty()).is_some_and(is_headline);
    if !mail.from().to_ascii_lowercase().contains("google") && !pasted_layout {
        return None;
    }
    let lower = crate::decode::notice_lower(mail);
    let (headline_end, headline) = headline(notice)?;
    // The HTML alternative repeats the text: only the first telling is read.
    let rest = &notice[headline_end..];
    let rest_lower = &lower[headline_end..];
    let section_end = lines_at(rest).find(|&(_, line)| is_headline(line)).map_or(rest.len(), |(at, _)| at);
    let section = &rest[..section_end];
    let section_lower = &rest_lower[..section_end];
    let marker = RESPONSE_MARKERS.iter().find_map(|&m| section_lower.find(m).map(|at| (at, m)));
    let remote_words = marker.is_some_and(|(_, m)| m == REMOTE_MARKER);
    let explanation_text = marker.map_or(section, |(at, _)| &section[..at]);
    let explanation = join_lines(explanation_text.lines().filter(|l| !l.trim_start().to_ascii_lowercase().starts_with("learn more")));
    let response = marker.map(|(at, m)| {
        let words = &section[at + m.len()..];
        join_lines(words.trim_start_matches(['\n', ' ']).split("\n\n").next().unwrap_or("").lines())
    });
    // "Delivery incomplete" is Gmail's still-retrying headline (blocklists.md, "Delay warning or
    // final failure").
    let delayed = headline.contains("delay") || headline.contains("incomplete") || headline.contains("not delivered yet") || mail.subject().to_ascii_lowercase().contains("(delay)");
    // The server's words are the response; Google's explanation is its own template. A delay's
    // explanation only says that Gmail retries ("There was a temporary problem delivering your
    // message to X. Gmail will retry for N more hours. You'll be notified if the delivery fails
    // permanently.", seen in sisimai rhost-gsuite-06 and rfc3464-55), so it never decides. A
    // failure's says what Google found itself ("The settings for your 'Send mail as' account are
    // misconfigured", "the address couldn't be found") and is read with the response, unless
    // Google says the response is the remote server's: then the explanation is Google's help
    // text beside the server's reply (its "Address not found" sentence stands above a 5.7.1
    // blocklist refusal too), and only the server's words decide.
    let said = response.filter(|said| !said.is_empty());
    let diagnostic = match said {
        Some(said) if delayed || remote_words => said,
        Some(said) => format!("{explanation} {said}"),
        None if delayed => String::new(),
        None => explanation.clone(),
    };
    let deliveries: Vec<Delivery> = recipients(mail, &explanation)
        .into_iter()
        .map(|recipient| {
            let mut delivery = Delivery {
                recipient: Some(recipient),
                action: Some(if delayed { Action::Delayed } else { Action::Failed }),
                diagnostic: (!diagnostic.trim().is_empty()).then(|| diagnostic.trim().to_owned()),
                ..Delivery::default()
            };
            complete_from_diagnostic(&mut delivery);
            delivery
        })
        .collect();
    if deliveries.is_empty() {
        return None;
    }
    let kind = if delayed { Kind::Delay } else { Kind::Bounce };
    Some(Decoded { kind, deliveries, decoded_by: "googleworkspace", arrival: None })
}

/// `** Message not delivered **`: where the line ends and its words, lowercased.
fn headline(notice: &str) -> Option<(usize, String)> {
    let (at, line) = lines_at(notice).find(|&(_, line)| is_headline(line))?;
    Some(((at + line.len() + 1).min(notice.len()), line.trim().to_ascii_lowercase()))
}

/// Each line with the offset where it starts.
fn lines_at(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len() + 1;
        Some((start, line))
    })
}

fn is_headline(line: &str) -> bool {
    let line = line.trim();
    line.len() > 6 && line.starts_with("** ") && line.ends_with(" **")
}

/// The addresses the explanation names; else, the whole message having failed, the failed
/// recipients the header lists and every recipient of the returned message.
fn recipients(mail: &Mail, explanation: &str) -> Vec<String> {
    let mut named: Vec<String> = explanation.split_whitespace().filter_map(clean_address).collect();
    if named.is_empty() {
        let listed = mail.header("x-failed-recipients").unwrap_or("");
        let returned = mail.returned_headers.as_deref().unwrap_or("").trim_start();
        let addressed = ["to", "cc"].iter().filter_map(|field| header_in_block(returned, field)).collect::<Vec<_>>();
        named.extend(std::iter::once(listed).chain(addressed.iter().map(String::as_str)).flat_map(|v| v.split(',')).filter_map(first_address));
    }
    let mut seen = std::collections::HashSet::new();
    named.retain(|address| seen.insert(address.to_ascii_lowercase()));
    named
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;
    use crate::report::Reason;

    const SEND_AS: &str = "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\nX-Failed-Recipients: club@groups.example.org\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n\n** Message not delivered **\n\nYou're sending this from a different address or alias using the 'Send mail as' feature. Its settings are out of date.\n\nLearn more here: https://support.google.com/mail/?p=CustomFromDenied\n\nThe response was:\n\nTemporary Error (AUTH): Smtp server refused the login\n\n--b\nContent-Type: message/delivery-status\n\n\n--b\nContent-Type: message/rfc822\n\nFrom: <tama@alias.example>\nSubject: hi\nTo: <mike@example.net>, Kuro <kuro@example.com>\n\nhello\n--b--\n";

    #[test]
    fn a_send_mail_as_failure_is_a_refused_sender_for_every_recipient() {
        let decoded = decode(&read(SEND_AS.as_bytes())).unwrap();
        let recipients: Vec<_> = decoded.deliveries.iter().filter_map(|d| d.recipient.as_deref()).collect();
        assert_eq!(recipients, ["club@groups.example.org", "mike@example.net", "kuro@example.com"]);
        let first = &decoded.deliveries[0];
        // Google's explanation ("the 'Send mail as' feature") is a refused sender.
        assert_eq!(crate::diagnose(SEND_AS.as_bytes()).deliveries[0].reason, Reason::Rejected);
        assert!(first.diagnostic.as_deref().unwrap().ends_with("Smtp server refused the login"));
        assert_eq!(decoded.kind, Kind::Bounce);
    }

    #[test]
    fn the_named_recipient_and_the_remote_words_are_read() {
        let raw = "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\n\n** Address not found **\n\nYour message wasn't delivered to mike@example.net because the address couldn't be found.\n\nThe response from the remote server was:\n550 5.1.1 <mike@example.net>: Recipient address rejected: User unknown\n";
        let decoded = decode(&read(raw.as_bytes())).unwrap();
        assert_eq!(decoded.deliveries.len(), 1);
        let delivery = &decoded.deliveries[0];
        assert_eq!(delivery.recipient.as_deref(), Some("mike@example.net"));
        assert_eq!(delivery.reason, Reason::Undefined);
        assert_eq!(delivery.status.as_deref(), Some("5.1.1"));
        assert_eq!(delivery.reply_code.as_deref(), Some("550"));
    }

    #[test]
    fn googles_sentence_beside_the_remote_servers_reply_does_not_decide() {
        // Google's "address couldn't be found" stands above whatever the remote server said; the
        // reply names a blocklist, a policy or a full mailbox, and that decides.
        let notice = |headline: &str, sentence: &str, marker: &str, reply: &str| {
            format!("From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\n\n** {headline} **\n\nYour message wasn't delivered to mike@example.net because {sentence}\n\nLearn more here: https://support.google.com/mail/?p=NoSuchUser\n\n{marker}\n{reply}\n")
        };
        let blocked = notice("Address not found", "the address couldn't be found, or is unable to receive mail.", "The response from the remote server was:", "550 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org");
        let delivery = &crate::diagnose(blocked.as_bytes()).deliveries[0];
        assert_eq!(delivery.diagnostic.as_deref(), Some("550 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org"));
        assert_eq!(delivery.reason, Reason::Blocked);
        assert_eq!(delivery.blocklist.as_ref().and_then(|b| b.ip.as_deref()), Some("192.0.2.7"));
        let full = notice("Message not delivered", "the remote server is misconfigured.", "The response from the remote server was:", "552 5.2.2 <mike@example.net>: Mailbox full");
        let delivery = &crate::diagnose(full.as_bytes()).deliveries[0];
        assert_eq!(delivery.diagnostic.as_deref(), Some("552 5.2.2 <mike@example.net>: Mailbox full"));
        assert_eq!(delivery.reason, Reason::MailboxFull);
        // Under "The response was:" Google reports its own finding (a DNS error): its sentence
        // is part of that finding and stays read with it.
        let dns = notice("Address not found", "the domain example.net couldn't be found.", "The response was:", "DNS Error: DNS type 'mx' lookup of example.net responded with code NXDOMAIN");
        let delivery = &crate::diagnose(dns.as_bytes()).deliveries[0];
        assert!(delivery.diagnostic.as_deref().is_some_and(|d| d.starts_with("Your message wasn't delivered")), "{:?}", delivery.diagnostic);
        assert_eq!(delivery.reason, Reason::HostUnknown);
    }

    #[test]
    fn a_delays_retry_template_is_not_the_servers_words() {
        let notice = |response: &str| format!("From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Delay)\n\n** Delivery incomplete **\n\nThere was a temporary problem delivering your message to mike@example.net. Gmail will retry for 45 more hours. You'll be notified if the delivery fails permanently.\n\nLEARN MORE\n{response}");
        let answered = crate::diagnose(notice("\nThe response from the remote server was:\n452 4.2.2 The email account that you tried to reach is over quota.\n").as_bytes());
        assert_eq!(answered.kind, Kind::Delay);
        let delivery = &answered.deliveries[0];
        assert_eq!(delivery.diagnostic.as_deref(), Some("452 4.2.2 The email account that you tried to reach is over quota."));
        assert_eq!(delivery.reason, Reason::MailboxFull);
        // No response: nothing names a cause, and Gmail's "temporary problem" is not one.
        let silent = crate::diagnose(notice("").as_bytes());
        assert_eq!(silent.deliveries[0].recipient.as_deref(), Some("mike@example.net"));
        assert_eq!(silent.deliveries[0].diagnostic, None);
        assert_ne!(silent.deliveries[0].reason, Reason::SystemError);
        // Pasted without the header, the layout tells the same.
        let pasted = crate::diagnose(notice("\nThe response was:\n421 4.4.1 Connection timed out\n").split_once("\n\n").unwrap().1.as_bytes());
        assert_eq!(pasted.kind, Kind::Delay);
        assert_eq!(pasted.deliveries[0].diagnostic.as_deref(), Some("421 4.4.1 Connection timed out"));
    }
}
