//! The texts users read, in catalogues (`en.txt`, `ja.txt`), never in logic. A key missing in
//! one language falls back to English, then to the key itself, so a gap shows but never breaks.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The languages the catalogues cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    /// From a language tag or locale (`ja`, `ja-JP`, `ja_JP.UTF-8`); anything else is English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("ja") { Lang::Ja } else { Lang::En }
    }
}

// As build.rs leaves them: one line per key, `key\ten\tja`; the page's own `ui.` and
// `glossary.` texts are not in the library.
const CATALOGUES: &str = include_str!(concat!(env!("OUT_DIR"), "/catalogues.tsv"));

/// One language's column of the merged table; an empty text is a key that language lacks.
fn parse(column: usize) -> HashMap<&'static str, &'static str> {
    CATALOGUES
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let key = fields.next()?;
            let text = fields.nth(column)?;
            (!text.is_empty()).then_some((key, text))
        })
        .collect()
}

/// The whole catalogue of one language.
pub fn catalogue(lang: Lang) -> &'static HashMap<&'static str, &'static str> {
    static EN_MAP: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    static JA_MAP: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    match lang {
        Lang::En => EN_MAP.get_or_init(|| parse(0)),
        Lang::Ja => JA_MAP.get_or_init(|| parse(1)),
    }
}

/// The text for a key.
pub fn text(lang: Lang, key: &str) -> String {
    catalogue(lang).get(key).or_else(|| catalogue(Lang::En).get(key)).map_or_else(|| key.to_owned(), |t| (*t).to_owned())
}

/// The text for a key with `{name}` placeholders filled.
pub fn fill(lang: Lang, key: &str, values: &[(&str, &str)]) -> String {
    let mut out = text(lang, key);
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let mut en: Vec<_> = catalogue(Lang::En).keys().collect();
        let mut ja: Vec<_> = catalogue(Lang::Ja).keys().collect();
        en.sort();
        ja.sort();
        assert_eq!(en, ja);
    }

    #[test]
    fn every_reason_and_advice_has_a_text() {
        for reason in crate::report::Reason::ALL {
            assert!(catalogue(Lang::Ja).contains_key(format!("reason.{}", reason.as_str()).as_str()));
        }
        for id in crate::report::AdviceId::ALL.iter().map(|id| id.as_str()) {
            assert!(catalogue(Lang::En).contains_key(format!("advice.{id}.title").as_str()), "{id}");
            assert!(catalogue(Lang::Ja).contains_key(format!("advice.{id}.body").as_str()), "{id}");
        }
    }

    fn is_japanese(c: char) -> bool {
        matches!(c, '\u{3000}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
    }

    /// Japanese that reads naturally: no half-width colon after a Japanese word, and no space
    /// between Japanese and a Latin word, a number or a `{placeholder}` (a URL, a mail address or
    /// a domain keeps the space after it, so a plain-text copy does not glue words to it).
    #[test]
    fn japanese_has_no_half_width_colons_or_stray_spaces() {
        for (key, text) in catalogue(Lang::Ja) {
            let chars: Vec<char> = text.chars().collect();
            for (i, window) in chars.windows(2).enumerate() {
                assert!(!(is_japanese(window[0]) && window[1] == ':'), "{key}: half-width colon in {text:?}");
                if window[1] != ' ' || i + 2 >= chars.len() {
                    continue;
                }
                let next = chars[i + 2];
                let word_before: String = chars[..=i].iter().rev().take_while(|c| !c.is_whitespace()).collect::<Vec<_>>().into_iter().rev().collect();
                let keeps_space = word_before.contains("://") || word_before.contains('@') || word_before.contains(".com") || word_before.contains(".net");
                let latin = |c: char| c.is_ascii_alphanumeric() || c == '{' || c == '}';
                assert!(!(is_japanese(window[0]) && (latin(next) || next == '.')), "{key}: space after Japanese in {text:?}");
                assert!(!(latin(window[0]) && is_japanese(next) && !keeps_space), "{key}: space before Japanese in {text:?}");
            }
        }
    }

    #[test]
    fn placeholders_and_fallbacks() {
        assert_eq!(fill(Lang::En, "verdict.retrying-until", &[("until", "Friday")]), "The sending server keeps retrying until Friday.");
        assert_eq!(text(Lang::Ja, "no.such.key"), "no.such.key");
        assert_eq!(Lang::from_tag("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(Lang::from_tag("C"), Lang::En);
    }
}
