//! Scoring a labelled corpus in the `field` format (`../shared/corpus/{public,field}`), the way
//! `../shared/tools/score field|public` does: per file the kind; per labelled delivery the
//! recipient, action, status, reply code, reason and hard bounce (a label may be a list of
//! acceptable values; null is not scored); the blocklist verdict; the advice.
//!
//! The corpora live beside the project (`../shared/corpus`), or where `BOUNCE_DOCTOR_CORPUS`
//! points (the folder holding them, for a checkout in another place); a test skips with a
//! message when the set is absent.

use std::collections::BTreeMap;
use std::path::PathBuf;

use bounce_doctor::diagnose;
use serde_json::Value;

/// The folder of one labelled set, if it is there.
pub fn corpus(set: &str) -> Option<PathBuf> {
    let root = std::env::var_os("BOUNCE_DOCTOR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    let folder = root.join(set);
    folder.join("expected.json").is_file().then_some(folder)
}

/// Correct and scored counts per field.
#[derive(Default)]
pub struct Tally(BTreeMap<&'static str, (usize, usize)>, Vec<String>);

impl Tally {
    fn add(&mut self, field: &'static str, good: bool, note: impl FnOnce() -> String) {
        let entry = self.0.entry(field).or_default();
        entry.1 += 1;
        if good {
            entry.0 += 1;
        } else {
            self.1.push(format!("{field}: {}", note()));
        }
    }

    pub fn rate(&self, field: &str) -> f64 {
        self.0.get(field).map_or(1.0, |&(ok, n)| if n == 0 { 1.0 } else { ok as f64 / n as f64 })
    }

    /// Fails the test, naming the misses, when a field is below its floor.
    pub fn assert_floors(&self, set: &str, floors: &[(&str, f64)]) {
        let mut below = Vec::new();
        for &(field, floor) in floors {
            let rate = self.rate(field);
            println!("{set} {field:12} {:6.1}%", rate * 100.0);
            if rate + 1e-9 < floor {
                below.push(format!("{field} {:.1}% < {:.1}%", rate * 100.0, floor * 100.0));
            }
        }
        assert!(below.is_empty(), "{set} below the floor: {}\nmisses:\n{}", below.join(", "), self.1.join("\n"));
    }
}

/// A label is one value or a list of acceptable values.
fn one_of(want: &Value, have: &Value) -> bool {
    match want {
        Value::Array(options) => options.contains(have),
        _ => want == have,
    }
}

/// Diagnoses every file of the set and scores the reports against `expected.json`.
pub fn score(folder: &std::path::Path) -> Tally {
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(folder.join("expected.json")).expect("expected.json")).expect("expected.json is JSON");
    let mut tally = Tally::default();
    for (name, label) in expected.as_object().expect("a map of files") {
        let raw = std::fs::read(folder.join("eml").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = serde_json::to_value(diagnose(&raw)).expect("a report is JSON");
        let deliveries = report["deliveries"].as_array().cloned().unwrap_or_default();
        if !label["kind"].is_null() {
            tally.add("kind", one_of(&label["kind"], &report["kind"]), || format!("{name}: want {}, got {}", label["kind"], report["kind"]));
        }
        for (index, row) in label["deliveries"].as_array().into_iter().flatten().enumerate() {
            let wanted = row["recipient"].as_str();
            let same = |d: &&Value| d["recipient"].as_str().zip(wanted).is_some_and(|(a, b)| a.eq_ignore_ascii_case(b));
            let (delivery, found) = match wanted {
                Some(_) => match deliveries.iter().find(same) {
                    Some(d) => (Some(d), true),
                    None => (deliveries.get(index), false),
                },
                None => (deliveries.first(), !deliveries.is_empty()),
            };
            if wanted.is_some() {
                tally.add("recipient", found, || format!("{name}#{}: want {}", index + 1, row["recipient"]));
            }
            let null = Value::Null;
            for (field, key) in [("action", "action"), ("status", "status"), ("reply_code", "reply_code"), ("reason", "reasons"), ("hard_bounce", "hard_bounce")] {
                let want = &row[key];
                if want.is_null() {
                    continue;
                }
                let have = delivery.map_or(&null, |d| &d[field]);
                tally.add(field, one_of(want, have), || format!("{name}#{}: want {want}, got {have}", index + 1));
            }
        }
        if let Some(want) = label.get("blocklist") {
            let block = deliveries.first().map_or(&Value::Null, |d| &d["blocklist"]);
            if want.is_null() {
                tally.add("no_false_block", block.is_null(), || format!("{name}: called a block by {}", block["provider"]));
            } else {
                let provider = if block.is_null() { &Value::Null } else { &block["provider"] };
                tally.add("provider", one_of(&want["provider"], provider), || format!("{name}: want {}, got {provider}", want["provider"]));
            }
        }
    }
    tally
}
