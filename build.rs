//! The catalogues as the library embeds them: src/i18n/{en,ja}.txt merged into one table, a
//! line per key with its English and Japanese texts (`key\ten\tja`), so each key is stored once
//! (gzip cannot share keys between two catalogues written 30 KB apart: 2.4 KB of the page).
//! Left out: comments, and the page's own `ui.` and `glossary.` texts, which no Rust code reads
//! and which reach the page as a module of their own (www/tools/finish-dist.mjs writes
//! app/ui-texts.js). A key one language lacks gets an empty column; src/i18n/mod.rs reads an
//! empty text as missing.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::{env, fs};

const LANGS: [&str; 2] = ["en", "ja"];

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut table: BTreeMap<String, [String; 2]> = BTreeMap::new();
    for (column, lang) in LANGS.iter().enumerate() {
        let path = format!("src/i18n/{lang}.txt");
        println!("cargo::rerun-if-changed={path}");
        let source = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in source.lines() {
            if line.starts_with('#') || line.starts_with("ui.") || line.starts_with("glossary.") {
                continue;
            }
            let Some((key, text)) = line.split_once(" = ") else { continue };
            assert!(!text.contains('\t'), "{path}: a tab in the text of {key}");
            table.entry(key.trim().to_owned()).or_default()[column] = text.trim().to_owned();
        }
    }
    let merged: String = table.iter().map(|(key, [en, ja])| format!("{key}\t{en}\t{ja}\n")).collect();
    fs::write(out.join("catalogues.tsv"), merged).unwrap_or_else(|e| panic!("catalogues.tsv: {e}"));
}
