//! One way to build regular expressions. The engine is the `regex` crate (linear time on any
//! input), in byte mode without Unicode tables: that keeps the page's wasm small, and `\s`,
//! `\w`, `\b` and `(?i)` mean their ASCII versions. Literal non-ASCII text in a pattern (Japanese
//! wording) still matches as its UTF-8 bytes.

use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

/// Builds a pattern from the project's own tables; a bad pattern is a bug caught by the tests.
pub fn compile(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .unwrap_or_else(|error| panic!("pattern {pattern:?} does not compile: {error}"))
}

/// A pattern compiled on its first use, so a table costs at start-up only the rows a message
/// reaches (the page's first diagnosis waits for every compile it needs).
pub struct Lazy {
    pattern: &'static str,
    regex: std::sync::OnceLock<Regex>,
}

impl Lazy {
    pub const fn new(pattern: &'static str) -> Lazy {
        Lazy { pattern, regex: std::sync::OnceLock::new() }
    }

    pub fn get(&self) -> &Regex {
        self.regex.get_or_init(|| compile(self.pattern))
    }
}

/// Where `needle` starts in `haystack`, ignoring ASCII case: a plain word found without
/// lowercasing a copy of the text.
pub fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.as_bytes().windows(needle.len()).position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Builds a set of patterns matched in one pass.
pub fn compile_set<I, S>(patterns: I) -> RegexSet
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    RegexSetBuilder::new(patterns)
        .unicode(false)
        // A large set overflows the default lazy-DFA cache and falls back to the much slower
        // PikeVM on every search; a bigger cache keeps it on the DFA.
        .dfa_size_limit(32 << 20)
        .build()
        .unwrap_or_else(|error| panic!("pattern set does not compile: {error}"))
}

/// The text of a byte range of `text`, widened to whole characters so it can always be sliced.
pub fn char_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut start = start.min(text.len());
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// A capture as text (lossless for the ASCII-delimited captures the tables use).
pub fn as_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_classes_and_japanese_literals() {
        let re = compile(r"\bunknown\s+user\b|宛先不明");
        assert!(re.is_match("550 Unknown user".to_ascii_lowercase().as_bytes()));
        assert!(re.is_match("エラー: 宛先不明です".as_bytes()));
        assert!(!re.is_match(b"unknownuser"));
    }

    #[test]
    fn spans_are_widened_to_characters() {
        let text = "aあb";
        assert_eq!(char_span(text, 2, 3), (1, 4));
        assert_eq!(char_span(text, 0, 99), (0, 5));
    }
}
