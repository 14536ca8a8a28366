//! Time per pathological input (the same inputs `tests/hostile.rs` checks for correctness).

#[path = "support/harness.rs"]
mod harness;
#[path = "../tests/support/hostile_inputs.rs"]
mod hostile_inputs;

use std::time::{Duration, Instant};

use harness::{format_duration, median_of, row};

/// A bounce reader should answer any one input well within this.
const TARGET: Duration = Duration::from_secs(1);

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
}

fn size(bytes: usize) -> String {
    if bytes >= 100_000 { format!("{:.1} MB", bytes as f64 / 1e6) } else { format!("{bytes} B") }
}
