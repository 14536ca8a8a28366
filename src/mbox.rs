//! Mailboxes in mbox format: messages separated by `From ` lines. The separator is recognised at
//! the start of the input or after a blank line (so a body line that merely starts with "From "
//! inside a paragraph is not a separator), and `>From ` quoting (mboxrd) is undone.
//! These functions are pure; the CLI feeds them line by line from a file, the page from memory,
//! and both decide what is an mbox by the one rule of `is_mbox`.

use std::borrow::Cow;

/// True when the line (without its line end) is an mbox separator such as
/// `From MAILER-DAEMON Mon Nov 20 10:00:00 2023`: after a blank line, `From `, a sender, then a
/// date (some digit), so that prose starting with "From " is not taken for one.
pub fn is_separator(line: &[u8], previous_blank: bool) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else { return false };
    let Some(space) = rest.iter().position(|&b| b == b' ') else { return false };
    previous_blank && space > 0 && rest[space..].iter().any(u8::is_ascii_digit)
}

/// Undoes mboxrd quoting on one line: `>From ` → `From `, `>>From ` → `>From `.
pub fn unescape_line(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") { &line[1..] } else { line }
}

/// True when the input starts like an mbox (a `From ` separator on its first line).
pub fn looks_like_mbox(head: &[u8]) -> bool {
    let first = head.split(|&b| b == b'\n').next().unwrap_or(head);
    is_separator(first.strip_suffix(b"\r").unwrap_or(first), true)
}

/// True when an input is an mbox, by its file name (if any) and its first bytes. A file named
/// `.eml` is one message by definition, even when it starts with a `From ` line (as mail programs
/// that save in mbox style write it) and quotes an unescaped one further down; any other input is
/// an mbox when its first line is a separator.
pub fn is_mbox(name: Option<&str>, head: &[u8]) -> bool {
    let eml = name.and_then(|n| n.rsplit_once('.')).is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("eml"));
    !eml && looks_like_mbox(head)
}

/// True when the first line ends with a CR that no LF follows (old Mac line ends): such an mbox
/// cannot be split line by line until its line ends are made LF.
pub fn has_bare_cr_line_ends(head: &[u8]) -> bool {
    match head.iter().position(|&b| b == b'\r' || b == b'\n') {
        Some(i) => head[i] == b'\r' && head.get(i + 1) != Some(&b'\n'),
        None => false,
    }
}

/// The messages of a whole input held in memory, as the CLI streams them from a file: an mbox's
/// messages (old Mac line ends made LF first), else the input itself. Never empty: an mbox in
/// which no message follows the separators is one empty message.
pub fn messages<'a>(name: Option<&str>, data: &'a [u8]) -> Vec<Cow<'a, [u8]>> {
    if !is_mbox(name, data) {
        return vec![Cow::Borrowed(data)];
    }
    let mut messages: Vec<Cow<'a, [u8]>> = if has_bare_cr_line_ends(data) {
        split(&crate::message::normalize_line_ends(data)).into_iter().map(|m| Cow::Owned(m.into_owned())).collect()
    } else {
        split(data)
    };
    if messages.is_empty() {
        messages.push(Cow::Borrowed(&[]));
    }
    messages
}

/// Collects the lines of one message, dropping the separator and undoing the quoting.
#[derive(Debug, Default)]
pub struct Splitter {
    current: Vec<u8>,
    started: bool,
    previous_blank: bool,
}

impl Splitter {
    pub fn new() -> Splitter {
        Splitter { previous_blank: true, ..Splitter::default() }
    }

    /// Feeds one line including its line end; returns the message that this line's separator
    /// ends, if any.
    pub fn push_line(&mut self, line: &[u8]) -> Option<Vec<u8>> {
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        let finished = if is_separator(content, self.previous_blank) {
            let done = self.started.then(|| std::mem::take(&mut self.current));
            self.started = true;
            self.previous_blank = false;
            return done;
        } else {
            None
        };
        self.started = true;
        self.previous_blank = content.is_empty();
        let unescaped = unescape_line(content);
        self.current.extend_from_slice(unescaped);
        self.current.extend_from_slice(&line[content.len()..]);
        finished
    }

    /// The last message, once the input has ended.
    pub fn finish(self) -> Option<Vec<u8>> {
        (self.started && !self.current.iter().all(u8::is_ascii_whitespace)).then_some(self.current)
    }
}

/// Splits a whole mbox held in memory into its messages.
pub fn split(data: &[u8]) -> Vec<Cow<'_, [u8]>> {
    let mut splitter = Splitter::new();
    let mut messages = Vec::new();
    for line in data.split_inclusive(|&b| b == b'\n') {
        if let Some(message) = splitter.push_line(line) {
            messages.push(Cow::Owned(message));
        }
    }
    messages.extend(splitter.finish().map(Cow::Owned));
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX: &[u8] = b"From a@example.org Mon Nov 20 10:00:00 2023\nSubject: one\n\nFrom the start of a line, mid-paragraph\n>From quoted\n\nFrom b@example.org Mon Nov 20 10:00:01 2023\r\nSubject: two\r\n\r\nbody\r\n";

    #[test]
    fn splits_at_separators_after_blank_lines_only() {
        let messages = split(BOX);
        assert_eq!(messages.len(), 2);
        assert_eq!(&*messages[0], &b"Subject: one\n\nFrom the start of a line, mid-paragraph\nFrom quoted\n\n"[..]);
        assert_eq!(&*messages[1], &b"Subject: two\r\n\r\nbody\r\n"[..]);
    }

    #[test]
    fn unescapes_one_level_of_quoting() {
        assert_eq!(unescape_line(b">>From x"), b">From x");
        assert_eq!(unescape_line(b">not from"), b">not from");
    }

    #[test]
    fn detection_and_empty_input() {
        assert!(looks_like_mbox(BOX));
        assert!(!looks_like_mbox(b"Return-Path: <>\n"));
        assert!(split(b"").is_empty());
    }

    #[test]
    fn one_rule_for_what_is_an_mbox_and_its_messages() {
        // An .eml is one message whatever its first line; other names and no name go by content.
        assert_eq!(messages(Some("saved.EML"), BOX), vec![Cow::Borrowed(BOX)]);
        assert_eq!(messages(Some("box.mbox"), BOX).len(), 2);
        assert_eq!(messages(None, BOX).len(), 2);
        assert_eq!(messages(Some("eml"), BOX).len(), 2);
        // Old Mac line ends are split as the same box with LF.
        let mac: Vec<u8> = BOX.iter().filter(|&&b| b != b'\r').map(|&b| if b == b'\n' { b'\r' } else { b }).collect();
        assert_eq!(messages(None, &mac), messages(None, &BOX.iter().copied().filter(|&b| b != b'\r').collect::<Vec<_>>()));
        // Separators and nothing else: one empty message, not none.
        assert_eq!(messages(None, b"From a@example.org Mon Nov 20 10:00:00 2023\n\n"), vec![Cow::Borrowed(&b""[..])]);
        assert_eq!(messages(None, b"Subject: x\n\nbody\n").len(), 1);
    }
}
