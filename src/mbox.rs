//! Mailboxes in mbox format: messages separated by `From ` lines. The separator is recognised at
//! the start of the input or after a blank line (so a body line that merely starts with "From "
//! inside a paragraph is not a separator), and `>From ` quoting (mboxrd) is undone.
//! These functions are pure; the CLI feeds them line by line from a file, the page from memory.

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
}
