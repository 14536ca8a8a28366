//! Every family of repeated shapes (tests/support/families.rs) is read in time linear in its
//! size. Checked as the ratio of two sizes, so the machine's speed (and the debug build) cancels
//! out: linear work gives about ×8 for ×8 the input, a rescan from each candidate ×64. Times are
//! the thread's CPU time (a loaded machine stretches long runs' wall time more than short ones'),
//! and the margin is generous (×24); `make bench` prints the release-build times.

#[path = "support/families.rs"]
mod families;

use std::time::Duration;

const SMALL: usize = 16 * 1024;
const LARGE: usize = 8 * SMALL;
const MAX_RATIO: f64 = 24.0;

fn timed(family: &families::Family, input: &[u8]) -> Duration {
    families::cpu_time_of(|| { std::hint::black_box(family.run(input)); })
}

#[test]
fn every_family_scales_linearly() {
    // Warm-up: the regular expressions are compiled on first use.
    bounce_doctor::diagnose(b"550 5.1.1 <a@example.com>: User unknown");
    let mut failures = Vec::new();
    for family in families::ALL {
        let (small, large) = (family.make(SMALL), family.make(LARGE));
        // The large input first: the regex engines' caches then hold the same states for both
        // sizes (a cold small run next to a warm large one, or the reverse, skews the ratio).
        timed(family, &large);
        let (mut small_time, mut large_time) = (Duration::MAX, Duration::MAX);
        for _ in 0..3 {
            small_time = small_time.min(timed(family, &small));
            large_time = large_time.min(timed(family, &large));
        }
        // Below a millisecond the clock's noise outweighs the work: measure a floor instead.
        let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(0.001);
        eprintln!("{:<36} {:>9.1?} → {:>9.1?}  ×{ratio:.1}", family.name, small_time, large_time);
        if ratio > MAX_RATIO {
            failures.push(format!("{}: ×8 the input took ×{ratio:.1} the time ({small_time:?} → {large_time:?})", family.name));
        }
    }
    assert!(failures.is_empty(), "not linear:\n{}", failures.join("\n"));
}

#[test]
fn a_pasted_mail_log_gives_a_bounded_report() {
    let log = families::ALL.iter().find(|f| f.name == "mail log lines").expect("family");
    let report = bounce_doctor::diagnose(&log.make(256 * 1024));
    assert_eq!(report.deliveries.len(), bounce_doctor::report::MAX_DELIVERIES);
    assert!(report.omitted_deliveries > 500, "{}", report.omitted_deliveries);
    assert_eq!(report.deliveries[0].recipient.as_deref(), Some("user0@example.com"));
    assert_eq!(report.deliveries[0].reason, bounce_doctor::Reason::UserUnknown);
}

