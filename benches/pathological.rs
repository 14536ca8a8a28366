//! Time per pathological input (the same inputs `tests/hostile.rs` checks for correctness), then
//! each family of repeated shapes (`tests/support/families.rs`, checked by `tests/scaling.rs`)
//! at 0.25 MB and 2 MB: linear work takes about ×8, a rescan from every candidate ×64.

#[path = "support/harness.rs"]
mod harness;
#[path = "../tests/support/hostile_inputs.rs"]
mod hostile_inputs;
#[path = "../tests/support/families.rs"]
mod families;

use std::time::{Duration, Instant};

use harness::{format_duration, median_of, row};

/// A bounce reader should answer any one input well within this.
const TARGET: Duration = Duration::from_secs(1);

/// Issue 15's bounds for a family: 2 MB within this many times the 0.25 MB time, and this long.
const MAX_RATIO: f64 = 12.0;
const FAMILY_TARGET: Duration = Duration::from_secs(2);

fn main() {
    for hostile in hostile_inputs::ALL {
        let input = (hostile.make)();
        // One timed try first: an input already slower than the target is not repeated.
        let start = Instant::now();
        let report = bounce_doctor::diagnose(&input);
        let first = start.elapsed();
        let (time, how) = if first > TARGET {
            (first, "one run".to_owned())
        } else {
            (median_of(5, || drop(bounce_doctor::diagnose(std::hint::black_box(&input)))), "median of 5".to_owned())
        };
        eprintln!("{}: {} bytes, {:?}, {} deliveries, {time:?}", hostile.name, input.len(), report.kind, report.deliveries.len());
        row(
            &format!("pathological: {} ({})", hostile.name, size(input.len())),
            &format!("{} ({how})", format_duration(time)),
            "< 1 s",
            Some(time < TARGET),
        );
    }
    scaling_rows();
}

/// CPU time on this thread (see `families::thread_cpu_time`): one run first; an input already
/// slower than the target is not repeated, others give the median of 3.
fn time(work: impl Fn()) -> (Duration, &'static str) {
    let first = families::cpu_time_of(&work);
    if first > TARGET {
        return (first, "one run");
    }
    let mut times: Vec<Duration> = (0..3).map(|_| families::cpu_time_of(&work)).collect();
    times.sort();
    (times[1], "median of 3")
}

fn scaling_rows() {
    for family in families::ALL {
        let (small, large) = (family.make(256 * 1024), family.make(2 * 1024 * 1024));
        let (small_time, _) = time(|| { std::hint::black_box(family.run(std::hint::black_box(&small))); });
        let (large_time, how) = time(|| { std::hint::black_box(family.run(std::hint::black_box(&large))); });
        let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(1e-6);
        eprintln!("{}: {small_time:?} → {large_time:?} (×{ratio:.1})", family.name);
        row(
            &format!("scaling: {} (0.25 → 2 MB)", family.name),
            &format!("{} → {} CPU ({how}): ×{ratio:.1}", format_duration(small_time), format_duration(large_time)),
            "≤ ×12, 2 MB < 2 s CPU",
            Some(ratio <= MAX_RATIO && large_time < FAMILY_TARGET),
        );
    }
}

fn size(bytes: usize) -> String {
    if bytes >= 100_000 { format!("{:.1} MB", bytes as f64 / 1e6) } else { format!("{bytes} B") }
}
