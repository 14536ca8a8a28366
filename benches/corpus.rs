//! Native decoding speed: the whole sisimai corpus diagnosed in one process, median of several
//! runs after a warm-up, then the process's peak memory.

#[path = "support/harness.rs"]
mod harness;

use harness::{format_duration, mb, median_of, mib, peak_rss_bytes, read_corpus, row, skipped};

const TARGET_MB_S: f64 = 50.0;
const RUNS: usize = 9;

fn main() {
    let measure = "native: sisimai corpus, one process";
    let target = "≥ 50 MB/s";
    let Some(files) = read_corpus("sisimai") else {
        return skipped(measure, &format!("no corpus at {}", harness::corpus_dir("sisimai").display()), target);
    };
    let bytes: u64 = files.iter().map(|(_, raw)| raw.len() as u64).sum();
    let mut decoded = 0usize;
    let median = median_of(RUNS, || {
        decoded = 0;
        for (_, raw) in &files {
            let report = bounce_doctor::diagnose(std::hint::black_box(raw));
            decoded += usize::from(report.decoded_by.is_some());
        }
    });
    let secs = median.as_secs_f64();
    let mb_s = mb(bytes) / secs;
    let messages_s = files.len() as f64 / secs;
    eprintln!("{measure}: {} files, {bytes} bytes, {decoded} decoded, median of {RUNS}: {median:?}", files.len());
    row(
        measure,
        &format!(
            "{} msgs ({:.1} MB) in {} (median of {RUNS}): **{messages_s:.0} msg/s, {mb_s:.1} MB/s**",
            files.len(),
            mb(bytes),
            format_duration(median),
        ),
        target,
        Some(mb_s >= TARGET_MB_S),
    );
    match peak_rss_bytes() {
        Some(peak) => row("native: peak RSS of that process (VmHWM)", &format!("{:.1} MiB", mib(peak)), "–", None),
        None => skipped("native: peak RSS of that process", "/proc/self/status has no VmHWM", "–"),
    }
}
