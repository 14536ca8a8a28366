//! Every bounce and delay of the four developer corpora gets at least one step, and the plan
//! decides "still retrying" one way: `do-not-resend` first when a delivery still retries, and no
//! resend step when every one does. The corpora are not ours to ship: the test reads them beside
//! the project and skips with a message when they are absent.

use std::path::Path;

use bounce_doctor::advice::still_retrying;
use bounce_doctor::{AdviceId, Kind, diagnose};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

#[test]
fn every_bounce_and_delay_of_the_corpora_has_a_plan() {
    let mut checked = 0;
    for corpus in ["sisimai", "public", "field", "reputation"] {
        let dir = Path::new(SHARED).join(corpus).join("eml");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: {} is absent", dir.display());
            continue;
        };
        for entry in entries.flatten() {
            let Ok(bytes) = std::fs::read(entry.path()) else { continue };
            let report = diagnose(&bytes);
            if !matches!(report.kind, Kind::Bounce | Kind::Delay) {
                continue;
            }
            let name = entry.path().display().to_string();
            assert!(!report.advice.is_empty(), "{name}: no step");
            let retrying = report.deliveries.iter().filter(|d| still_retrying(d)).count();
            if retrying > 0 {
                assert_eq!(report.advice[0].id, AdviceId::DoNotResend, "{name}");
            }
            if retrying > 0 && retrying == report.deliveries.len() {
                assert!(report.advice.iter().all(|a| !a.id.is_resend()), "{name}: {:?}", report.advice);
            }
            checked += 1;
        }
    }
    eprintln!("{checked} bounces and delays checked");
}
