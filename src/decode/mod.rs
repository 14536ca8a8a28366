//! Decoding the report: which deliveries the message speaks of, each with the server's words.
//! RFC 3464 delivery-status parts first; then one decoder per mail system's own text format;
//! last, the generic reader for pasted fragments and unknown formats. The first decoder that
//! recognises the message wins, and the report names it (`decoded_by`).

mod arf;
mod autoreply;
mod dragonfly;
mod exchange;
mod exim;
mod gmail;
mod googlegroups;
mod qmail;
mod rfc3464;
mod text;

use crate::message::Mail;
use crate::report::{Delivery, Kind};
use crate::smtp;

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
static DECODERS: &[Decoder] = &[arf::decode, rfc3464::decode, qmail::decode, exim::decode, dragonfly::decode, exchange::decode, gmail::decode, googlegroups::decode, autoreply::decode, text::decode];

/// Runs the decoders in order and returns the first answer.
pub fn decode(mail: &Mail) -> Option<Decoded> {
    DECODERS.iter().find_map(|decoder| decoder(mail))
}

/// Fills what the server's words tell by themselves (status, reply code, command) where the
/// decoder left them empty.
pub fn complete_from_diagnostic(delivery: &mut Delivery) {
    let Some(diagnostic) = delivery.diagnostic.as_deref() else { return };
    if delivery.reply_code.is_none() {
        delivery.reply_code = smtp::find_reply_code(diagnostic).map(str::to_owned);
    }
    let in_words = smtp::find_status(diagnostic);
    delivery.status = smtp::prefer_status(delivery.status.as_deref(), in_words).map(str::to_owned);
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
    let valid = !local.is_empty()
        && !domain.is_empty()
        && !address.contains(char::is_whitespace)
        && !address.contains(['<', '>', '(', ')', '[', ']']);
    valid.then(|| address.to_owned())
}

/// The human-readable notice without the returned message, for phrases about the whole message.
pub fn notice_text(mail: &Mail) -> &str {
    text::notice_part(&mail.body)
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
    let trimmed = line.trim();
    let (first, rest) = trimmed.split_once(char::is_whitespace).unwrap_or((trimmed, ""));
    let rest = rest.trim();
    // `addr on DATE` is Exchange's way of naming a recipient.
    if !(rest.is_empty() || rest.starts_with('<') || rest.starts_with('(') || rest.starts_with("on ")) {
        return None;
    }
    clean_address(first)
}

/// Reads the `address` + continuation blocks of a notice, in order, one pass over the lines.
pub fn address_blocks(notice: &str, continuation: Continuation) -> Vec<Block<'_>> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut open: Option<(usize, Block<'_>)> = None;
    for line in notice.lines() {
        if let Some((depth, block)) = open.as_mut() {
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
pub fn header_in_block<'a>(block: &'a str, name: &str) -> Option<String> {
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
    if let (Some(open), Some(close)) = (value.find('<'), value.find('>')) {
        if open < close {
            if let Some(address) = clean_address(&value[open + 1..close]) {
                return Some(address);
            }
        }
    }
    value.split([',', ' ', ';']).find_map(clean_address)
}
