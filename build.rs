//! The catalogues as the library embeds them: src/i18n/{en,ja}.txt without the page's own texts
//! (`ui.`, `glossary.`), which no Rust code reads and which reach the page as a module of their own
//! (www/tools/finish-dist.mjs writes app/ui-texts.js), and without comments. Keeps some 11 KB of
//! text (3.5 KB gzip) out of the page's wasm.

use std::path::PathBuf;
use std::{env, fs};

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for lang in ["en", "ja"] {
        let path = format!("src/i18n/{lang}.txt");
        println!("cargo::rerun-if-changed={path}");
        let source = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let kept: String = source
            .lines()
            .filter(|line| !(line.starts_with('#') || line.starts_with("ui.") || line.starts_with("glossary.")))
            .flat_map(|line| [line, "\n"])
            .collect();
        fs::write(out.join(format!("{lang}.txt")), kept).unwrap_or_else(|e| panic!("{lang}.txt: {e}"));
    }
}
