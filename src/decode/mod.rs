//! Decoding the report: which deliveries the message speaks of, each with the server's words.
//! RFC 3464 delivery-status parts first; then one decoder per mail system's own text format;
//! last, the generic reader for pasted fragments and unknown formats. The first decoder that
//! recognises the message wins, and the report names it (`decoded_by`).

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
static DECODERS: &[Decoder] = &[rfc3464::decode, text::decode];

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
    if delivery.status.is_none() {
        delivery.status = smtp::find_status(diagnostic).map(str::to_owned);
    }
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
