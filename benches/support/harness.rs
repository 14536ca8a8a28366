//! A plain std::time harness shared by the benchmarks: warm-up, several timed runs, the median,
//! and rows for the one table `scripts/bench.sh` prints (`| measure | result | target | met |`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The crate root, so the benchmarks find `target/` and `../shared/corpus` wherever they run.
pub const CRATE_ROOT: &str = env!("CARGO_MANIFEST_DIR");

pub fn corpus_dir(set: &str) -> PathBuf {
    Path::new(CRATE_ROOT).join("../shared/corpus").join(set).join("eml")
}

/// Every file of a labelled corpus, in name order, or `None` when the corpus is not here.
pub fn read_corpus(set: &str) -> Option<Vec<(String, Vec<u8>)>> {
    let dir = corpus_dir(set);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).ok()?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    paths.sort();
    let files: Vec<(String, Vec<u8>)> = paths
        .into_iter()
        .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), std::fs::read(&p).ok()?)))
        .collect();
    (!files.is_empty()).then_some(files)
}

/// Runs `work` once to warm up, then `runs` times, and returns the median duration.
pub fn median_of(runs: usize, mut work: impl FnMut()) -> Duration {
    work();
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The process's peak resident set (VmHWM) in bytes, where /proc tells it.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 0.001 {
        format!("{:.1} ms", secs * 1e3)
    } else {
        format!("{:.0} µs", secs * 1e6)
    }
}

/// Whether a target was met: `Some(true)`, `Some(false)`, or `None` when nothing was measured.
pub fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "–",
    }
}

/// One row of the table, on stdout (everything else a benchmark says goes to stderr).
pub fn row(measure: &str, result: &str, target: &str, met: Option<bool>) {
    println!("| {measure} | {result} | {target} | {} |", verdict(met));
}

/// A row for a measurement that could not be made, saying why.
pub fn skipped(measure: &str, why: &str, target: &str) {
    eprintln!("{measure}: skipped: {why}");
    row(measure, &format!("skipped: {why}"), target, None);
}
