//! Decoding the report: which deliveries the message speaks of, each with the server's words.
//! RFC 3464 delivery-status parts first; then one decoder per mail system's own text format;
//! last, the generic reader for pasted fragments and unknown formats. The first decoder that
//! recognises the message wins, and the report names it (`decoded_by`).

mod amazonses;
mod arf;
mod autoreply;
mod dragonfly;
mod exchange;
mod exim;
mod families;
mod fml;
mod gmail;
mod googlegroups;
mod googleworkspace;
mod jmrp;
mod mimecast;
mod qmail;
mod rfc3464;
pub(crate) mod text;
mod unsubscribe;

use crate::message::Mail;
use crate::report::{Delivery, Kind};
use crate::smtp;

/// The cause of an automatic reply that holds the message until the sender proves itself.
pub const CHALLENGE_RESPONSE: &str = "challenge-response";

/// What a decoder read from a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub kind: Kind,
    pub deliveries: Vec<Delivery>,
    pub decoded_by: &'static str,
    /// When the sending server received the message (RFC 3339), for "N days old" retry limits.
    pub arrival: Option<String>,
}

/// A decoder recognises its format and reads it, or says `None`.
type Decoder = fn(&Mail) -> Option<Decoded>;

/// Tried in order: the standard format first, the generic reader last.
static DECODERS: &[Decoder] = &[arf::decode, jmrp::decode, unsubscribe::decode, rfc3464::decode, amazonses::decode, qmail::decode, exim::decode, dragonfly::decode, exchange::decode, fml::decode, mimecast::decode, gmail::decode, googleworkspace::decode, googlegroups::decode, autoreply::decode, text::decode];

/// Runs the decoders in order and returns the first answer.
pub fn decode(mail: &Mail) -> Option<Decoded> {
    if autoreply::is_challenge(mail) {
        return Some(autoreply::challenge(mail));
    }
    DECODERS.iter().find_map(|decoder| decoder(mail))
}

/// Whether a decoded report names a recipient together with a reply code or an enhanced status
/// code: the structure of a notice, which a sentence quoting a reply does not have.
pub fn names_a_coded_recipient(decoded: &Decoded) -> bool {
    decoded.deliveries.iter().any(|d| d.recipient.is_some() && (d.status.is_some() || d.reply_code.is_some()))
}

/// Fills what the server's words tell by themselves (status, reply code, command) where the
/// decoder left them empty.
pub fn complete_from_diagnostic(delivery: &mut Delivery) {
    if let Some(diagnostic) = delivery.diagnostic.as_mut() {
        *diagnostic = smtp::join_reply_lines(diagnostic);
        // Cut out of `(reason: 550 ...)` or `[550 ...]`, the reply keeps the closing bracket.
        for (open, close) in [('(', ')'), ('[', ']')] {
            if diagnostic.ends_with(close) && diagnostic.matches(open).count() < diagnostic.matches(close).count() {
                diagnostic.pop();
            }
        }
    }
    let Some(full) = delivery.diagnostic.as_deref() else { return };
    // "554 4.4.7 Message expired ...<421 4.4.2 Connection timed out>": the sender's give-up
    // wraps the last reply the remote server made, which says more.
    let diagnostic = smtp::quoted_last_reply(full).unwrap_or(full);
    if delivery.reply_code.is_none() || diagnostic.len() != full.len() {
        delivery.reply_code = smtp::find_failure_reply_code(diagnostic).map(str::to_owned).or(delivery.reply_code.take());
    }
    let attached = smtp::status_after_reply(diagnostic);
    let in_words = attached.or_else(|| smtp::find_status(diagnostic));
    delivery.status = smtp::prefer_status(delivery.status.as_deref(), in_words, attached.is_some()).map(str::to_owned);
    if delivery.smtp_command.is_none() {
        delivery.smtp_command = smtp::find_command(diagnostic).map(str::to_owned);
    }
}

/// Joins wrapped lines into one, collapsing the whitespace between them.
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// An e-mail address cleaned of angle brackets, quotes and a trailing dot.
pub fn clean_address(text: &str) -> Option<String> {
    let address = text.trim().trim_start_matches('<').trim_end_matches(['>', '.', ',', ':', ';']).trim_matches(['"', '\'']);
    let (local, domain) = address.rsplit_once('@')?;
    let valid = !address.contains(char::is_whitespace) && is_plausible_local_part(local) && is_plausible_domain(domain);
    valid.then(|| address.to_owned())
}

/// An unquoted local part: RFC 5322 §3.2.3 atext and dots (RFC 6531 lets it be UTF-8: letters
/// and digits of any script, not punctuation, so `收件人：li.na` — a label glued on with a
/// full-width colon — is no local part).
fn is_plausible_local_part(local: &str) -> bool {
    !local.is_empty() && local.chars().all(|c| c.is_alphanumeric() || (!c.is_ascii() && !is_wide_punctuation(c)) || "!#$%&'*+-/=?^_`{|}~.".contains(c))
}

/// CJK and full-width punctuation (U+3000-U+303F, U+FF01-U+FF0F, U+FF1A-U+FF20), which labels
/// and sentences put right next to an address.
fn is_wide_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}')
}

/// A domain name as mail is sent to it: two labels or more, each of letters, digits and inner
/// hyphens, 63 octets at most (RFC 5321 §4.1.2 `Domain`, RFC 1035 §2.3.1; RFC 6531 lets labels
/// be UTF-8). A bare host name is not one mail crosses the Internet to.
fn is_plausible_domain(domain: &str) -> bool {
    let label = |l: &str| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-');
    domain.contains('.') && domain.split('.').all(label)
}

/// The name of a `Name: value` line in a notice (a header or delivery-status field written into
/// the text): letters, digits and hyphens before `: `.
pub fn field_name(line: &str) -> Option<&str> {
    let (name, _) = line.split_once(": ")?;
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')).then_some(name)
}

/// The human-readable notice without the returned message, for phrases about the whole message.
pub fn notice_text(mail: &Mail) -> &str {
    mail.body.get(..mail.notice_end).unwrap_or(&mail.body)
}

/// [`notice_text`] lowercased (computed once when the message was read).
pub fn notice_lower(mail: &Mail) -> &str {
    mail.lower_body.get(..mail.notice_end).unwrap_or(&mail.lower_body)
}

/// A recipient named on a line of its own, with the lines that belong to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Block<'a> {
    pub recipient: String,
    pub lines: Vec<&'a str>,
}

/// How the lines under an address line are told to belong to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Continuation {
    /// Lines indented deeper than the address line (Exim, Sendmail transcripts).
    Indented,
    /// Every line up to the next blank line or address line (qmail).
    Paragraph,
}

/// The address a line consists of: `addr`, `<addr>`, `<addr>:`, `addr <addr>`, `addr (...)`.
pub fn address_line(line: &str) -> Option<String> {
    // `>>> addr <addr>` (Active!Hunter) marks the address like a transcript line.
    let trimmed = line.trim().trim_start_matches(">>> ").trim_start_matches("* ");
    let (first, rest) = trimmed.split_once(char::is_whitespace).unwrap_or((trimmed, ""));
    let rest = rest.trim();
    // `addr on DATE` is Exchange's way of naming a recipient; its localised notices drop the
    // `on` (`'addr' 2008/04/22 16:20`).
    if !(rest.is_empty() || rest.starts_with(['<', '(', '[']) || rest.starts_with("on ") || starts_with_date(rest)) {
        return None;
    }
    clean_address(first)
}

/// `2008/04/22`, `22.04.2008`, `4/22/2008`: a date in digits.
fn starts_with_date(text: &str) -> bool {
    let token = text.split_whitespace().next().unwrap_or("");
    let parts: Vec<&str> = token.split(['/', '.', '-']).collect();
    parts.len() == 3 && parts.iter().all(|p| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads the `address` + continuation blocks of a notice, in order, one pass over the lines.
pub fn address_blocks(notice: &str, continuation: Continuation) -> Vec<Block<'_>> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut open: Option<(usize, Block<'_>)> = None;
    for line in notice.lines() {
        if let Some((depth, block)) = open.as_mut() {
            if continuation == Continuation::Paragraph && block.lines.is_empty() && line.trim().is_empty() {
                // GMX leaves a blank line between the address and its reason.
                continue;
            }
            let belongs = !line.trim().is_empty()
                && match continuation {
                    Continuation::Indented => indent(line) > *depth,
                    Continuation::Paragraph => address_line(line).is_none(),
                };
            if belongs {
                block.lines.push(line.trim());
                continue;
            }
            if let Some((_, block)) = open.take() {
                blocks.push(block);
            }
        }
        if let Some(recipient) = address_line(line) {
            open = Some((indent(line), Block { recipient, lines: Vec::new() }));
        }
    }
    if let Some((_, block)) = open {
        blocks.push(block);
    }
    blocks
}

/// The text of a notice after the first line that contains `marker` (lowercase), if any.
pub fn after_marker<'a>(notice: &'a str, lower_notice: &str, marker: &str) -> Option<&'a str> {
    let at = lower_notice.find(marker)?;
    let line_end = notice[at..].find('\n').map_or(notice.len(), |i| at + i + 1);
    Some(&notice[line_end..])
}

/// A `host NAME [IP]` mention: the remote server's name.
pub fn remote_host(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("host ")?;
    let name = text[at + 5..].split_whitespace().next()?;
    let name = name.trim_end_matches([':', ',']);
    (name.contains('.') && !name.starts_with('[')).then(|| name.trim_matches(['[', ']']).to_owned())
}

/// The first value of a header field in a raw header block (folded lines joined).
pub fn header_in_block(block: &str, name: &str) -> Option<String> {
    let mut lines = block.lines();
    while let Some(line) = lines.next() {
        if line.trim().is_empty() {
            break;
        }
        let Some((field, value)) = line.split_once(':') else { continue };
        if !field.eq_ignore_ascii_case(name) {
            continue;
        }
        let mut value = value.trim().to_owned();
        for next in lines.by_ref() {
            if !next.starts_with([' ', '\t']) {
                break;
            }
            value.push(' ');
            value.push_str(next.trim());
        }
        return Some(value);
    }
    None
}

/// The first e-mail address in a header value (`Name <addr>`, `addr`, `<addr>, ...`).
pub fn first_address(value: &str) -> Option<String> {
    if let (Some(open), Some(close)) = (value.find('<'), value.find('>'))
        && open < close
        && let Some(address) = clean_address(&value[open + 1..close])
    {
        return Some(address);
    }
    value.split([',', ' ', ';']).find_map(clean_address)
}

#[cfg(test)]
mod tests {
    use super::complete_from_diagnostic;
    use crate::report::{Delivery, Kind, Note};

    #[test]
    fn a_reply_cut_out_of_brackets_loses_the_closing_one() {
        for cut in ["550 5.1.1 User unknown)", "550 5.1.1 User unknown]"] {
            let mut delivery = Delivery { diagnostic: Some(cut.to_owned()), ..Delivery::default() };
            complete_from_diagnostic(&mut delivery);
            assert_eq!(delivery.diagnostic.as_deref(), Some("550 5.1.1 User unknown"));
        }
        let mut whole = Delivery { diagnostic: Some("550 5.7.1 Rejected (see https://example.net/why)".to_owned()), ..Delivery::default() };
        complete_from_diagnostic(&mut whole);
        assert_eq!(whole.diagnostic.as_deref(), Some("550 5.7.1 Rejected (see https://example.net/why)"));
    }

    #[test]
    fn an_ordinary_message_is_not_a_bounce() {
        let report = crate::diagnose(b"From: taro@example.jp\nTo: hanako@example.com\nSubject: lunch\n\nNoon at the usual place? Call me at 550 1234.\n");
        assert_eq!(report.kind, Kind::NotABounce);
        assert!(report.deliveries.is_empty());
    }

    #[test]
    fn a_truncated_report_gives_what_was_read_and_says_so() {
        let raw = b"From: MAILER-DAEMON@a.example\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; x@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <x@example.com>: Recipient address rej";
        let report = crate::diagnose(raw);
        assert!(report.notes.contains(&Note::Truncated));
        assert_eq!(report.deliveries.len(), 1);
        assert_eq!(report.deliveries[0].recipient.as_deref(), Some("x@example.com"));
        assert_eq!(report.deliveries[0].status.as_deref(), Some("5.1.1"));
    }

    #[test]
    fn only_plausible_addresses_are_addresses() {
        for good in ["kijitora@neko.example.jp", "<a.b+c@mx-1.example.com>", "neko@例え.テスト", "o'neil@example.org."] {
            assert!(super::clean_address(good).is_some(), "{good}");
        }
        for bad in ["08@Jr", "IywXQP;umZ@IgGuk.example", "a@-b.example", "a@b..example", "a@localhost", "@example.com", "a@b.example]", "lQI5O@6CHJl:Xg.sv"] {
            assert_eq!(super::clean_address(bad), None, "{bad}");
        }
    }

    #[test]
    fn garbage_never_panics() {
        for raw in [&b"\xff\xfe<<<:::>>>"[..], b"<@>:", b">>> \n<<< 5", b"Content-Type: multipart/report; boundary=x\n\n--x\n--x--", b"From: a\n\n<a@b>:\n"] {
            let _ = crate::diagnose(raw);
        }
    }
}
