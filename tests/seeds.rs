//! The project's two seed cases, read from the shared corpus (skipped when it is not beside the
//! crate, as in a lone clone).

use std::path::PathBuf;

use bounce_doctor::{AdviceId, Report, diagnose};

fn seed(name: &str) -> Option<Report> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/reputation/eml")).join(name);
    match std::fs::read(&path) {
        Ok(raw) => Some(diagnose(&raw)),
        Err(error) => {
            println!("skipped: {} not readable ({error})", path.display());
            None
        }
    }
}

fn advice_ids(report: &Report) -> Vec<AdviceId> {
    report.advice.iter().map(|a| a.id).collect()
}

#[test]
fn ers_deferral_names_trend_micro_and_the_senders_ip() {
    let Some(report) = seed("seed-ers-450--fragment.eml") else { return };
    let blocklist = report.deliveries.iter().find_map(|d| d.blocklist.as_ref()).expect("a blocklist delivery");
    assert_eq!(blocklist.provider, "trendmicro-ers");
    assert_eq!(blocklist.ip.as_deref(), Some("203.0.113.5"));
    let ids = advice_ids(&report);
    assert!(ids.contains(&AdviceId::CheckIpReputation), "{ids:?}");
    assert!(ids.contains(&AdviceId::DoNotResend), "{ids:?}");
}

#[test]
fn warning_says_do_not_resend_and_until_when() {
    let Some(report) = seed("seed-warning--fragment.eml") else { return };
    assert!(advice_ids(&report).contains(&AdviceId::DoNotResend), "{:?}", report.advice);
    let delivery = report.deliveries.first().expect("one delivery");
    assert_eq!(delivery.recipient.as_deref(), Some("receiver1@example.co.jp"));
    // Received Mon, 5 Sep 2022 00:00 +0900, kept for 5 days.
    assert_eq!(delivery.retry_until.as_deref(), Some("2022-09-10T00:00:00+09:00"));
}
