//! The labelled sisimai corpus (`../shared/corpus/sisimai`): the rates the scorer
//! (`../shared/tools/score sisimai`) computes must not fall below the floors reached, the CRLF
//! (`dos-`) and bare-CR (`mac-`) copies must read exactly like their originals, and no file —
//! malformed ones included — may make the diagnosis panic. Skips when the corpus is absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};


use bounce_doctor::{Delivery, Kind, Report, diagnose};
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/sisimai");

/// The floors reached (rounded down): the score may only go up.
const FLOORS: &[(&str, f64)] = &[("reason", 0.975), ("status", 0.99), ("reply_code", 0.99), ("hard_bounce", 0.985), ("recipient", 0.985)];

fn corpus() -> Option<(PathBuf, Value)> {
    let root = Path::new(CORPUS);
    let expected = std::fs::read_to_string(root.join("expected.json")).ok()?;
    Some((root.join("eml"), serde_json::from_str(&expected).expect("expected.json is JSON")))
}

/// Every file's report, computed once for all the tests.
fn reports(eml: &Path) -> &'static BTreeMap<String, Report> {
    static REPORTS: std::sync::OnceLock<BTreeMap<String, Report>> = std::sync::OnceLock::new();
    REPORTS.get_or_init(|| read_all(eml))
}

fn read_all(eml: &Path) -> BTreeMap<String, Report> {
    let mut names: Vec<String> = std::fs::read_dir(eml)
        .expect("eml folder")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let raw = std::fs::read(eml.join(&name)).expect("readable file");
            let report = diagnose(&raw);
            (name, report)
        })
        .collect()
}

/// The scorer's private `x.0.9xx` codes, which it ignores.
fn is_pseudo(status: &str) -> bool {
    let b = status.as_bytes();
    b.len() == 7 && b[0].is_ascii_digit() && &status[1..4] == ".0." && b[4] == b'9' && b[5].is_ascii_digit() && b[6].is_ascii_digit()
}

/// The scorer's choice of delivery: by recipient, else the first when none is expected, else
/// the one at the same position (which then counts as a missed recipient).
fn pick<'a>(deliveries: &'a [Delivery], recipient: Option<&str>, index: usize) -> (Option<&'a Delivery>, bool) {
    if let Some(wanted) = recipient {
        if let Some(found) = deliveries.iter().find(|d| d.recipient.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(wanted))) {
            return (Some(found), true);
        }
        return (deliveries.get(index), false);
    }
    if deliveries.is_empty() { (None, false) } else { (deliveries.first(), true) }
}

#[derive(Default)]
struct Tally(BTreeMap<&'static str, (usize, usize)>);

impl Tally {
    fn add(&mut self, field: &'static str, good: bool) {
        let entry = self.0.entry(field).or_default();
        entry.1 += 1;
        if good {
            entry.0 += 1;
        }
    }

    fn rate(&self, field: &str) -> f64 {
        self.0.get(field).map_or(1.0, |&(ok, n)| if n == 0 { 1.0 } else { ok as f64 / n as f64 })
    }
}

#[test]
fn corpus_rates_stay_above_the_floors() {
    let Some((eml, expected)) = corpus() else {
        println!("skipped: no corpus at {CORPUS}");
        return;
    };
    let reports = reports(&eml);
    let mut tally = Tally::default();
    for (name, rows) in expected.as_object().expect("a map of files") {
        let deliveries = reports.get(name).map_or(&[][..], |r| r.deliveries.as_slice());
        for (index, row) in rows.as_array().expect("a list of deliveries").iter().enumerate() {
            let text = |key: &str| row.get(key).and_then(Value::as_str).unwrap_or("");
            let recipient = row.get("recipient").and_then(Value::as_str);
            let (delivery, found) = pick(deliveries, recipient, index);
            tally.add("recipient", found);
            tally.add("reason", delivery.is_some_and(|d| d.reason.as_str() == text("reason")));
            if !text("status").is_empty() && !is_pseudo(text("status")) {
                tally.add("status", delivery.and_then(|d| d.status.as_deref()) == Some(text("status")));
            }
            if !text("replycode").is_empty() {
                tally.add("reply_code", delivery.and_then(|d| d.reply_code.as_deref()) == Some(text("replycode")));
            }
            let hard = row.get("hardbounce").and_then(Value::as_bool).unwrap_or(false);
            tally.add("hard_bounce", delivery.is_some_and(|d| d.hard_bounce) == hard);
        }
    }
    let mut below = Vec::new();
    for &(field, floor) in FLOORS {
        let rate = tally.rate(field);
        println!("{field:12} {:6.1}%", rate * 100.0);
        if rate < floor {
            below.push(format!("{field} {:.1}% < {:.1}%", rate * 100.0, floor * 100.0));
        }
    }
    assert!(below.is_empty(), "below the floor: {}", below.join(", "));
}

#[test]
fn line_end_copies_read_like_their_originals() {
    let Some((eml, _)) = corpus() else {
        println!("skipped: no corpus at {CORPUS}");
        return;
    };
    let reports = reports(&eml);
    let mut compared = 0;
    for (name, report) in reports {
        let Some(original) = name.strip_prefix("dos-").or_else(|| name.strip_prefix("mac-")) else { continue };
        let Some(original_report) = reports.get(original) else { continue };
        assert_eq!(report.kind, original_report.kind, "{name}");
        assert_eq!(report.deliveries, original_report.deliveries, "{name} differs from {original}");
        compared += 1;
    }
    assert!(compared > 0, "no dos-/mac- copies found");
}

#[test]
fn malformed_and_non_bounce_files_are_answered() {
    let Some((eml, _)) = corpus() else {
        println!("skipped: no corpus at {CORPUS}");
        return;
    };
    let reports = reports(&eml);
    let odd: Vec<&String> = reports.keys().filter(|n| n.starts_with("err-") || n.starts_with("not-") || n.starts_with("tmp-")).collect();
    assert!(!odd.is_empty(), "the corpus holds err-/not-/tmp- files");
    for name in odd {
        // Reaching here means `diagnose` returned; a report without deliveries must say so.
        let report = &reports[name];
        assert!(!report.deliveries.is_empty() || report.kind == Kind::NotABounce, "{name}");
    }
}

/// Single-threaded throughput of the library over the corpus, measured in an optimised build:
/// `cargo test --release --test sisimai_corpus -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement: run it in release mode"]
fn throughput_over_the_corpus() {
    let Some((eml, _)) = corpus() else {
        println!("skipped: no corpus at {CORPUS}");
        return;
    };
    let files: Vec<Vec<u8>> = std::fs::read_dir(&eml).expect("eml folder").filter_map(|e| e.ok()).filter_map(|e| std::fs::read(e.path()).ok()).collect();
    let bytes: usize = files.iter().map(Vec::len).sum();
    let _warm_up = diagnose(&files[0]);
    let rounds = 5;
    let started = std::time::Instant::now();
    let mut deliveries = 0;
    for _ in 0..rounds {
        for raw in &files {
            deliveries += diagnose(raw).deliveries.len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let rate = (bytes * rounds) as f64 / seconds / 1e6;
    println!("{:.1} MB in {seconds:.2} s: {rate:.1} MB/s ({deliveries} deliveries)", (bytes * rounds) as f64 / 1e6);
    if !cfg!(debug_assertions) {
        assert!(rate > 10.0, "{rate:.1} MB/s");
    }
}
