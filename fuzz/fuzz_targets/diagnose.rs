//! The whole pipeline on arbitrary bytes: it must never panic, and the report must always
//! serialise (the CLI and the page both serialise it).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = bounce_doctor::diagnose(data);
    for delivery in &report.deliveries {
        if let (Some(diagnostic), Some(evidence)) = (&delivery.diagnostic, &delivery.evidence) {
            // The evidence span must point into the diagnostic it explains.
            assert!(evidence.start <= evidence.end && evidence.end <= diagnostic.len());
            assert!(diagnostic.is_char_boundary(evidence.start) && diagnostic.is_char_boundary(evidence.end));
        }
    }
    let _ = bounce_doctor::render::to_text(&report, bounce_doctor::Lang::Ja);
});
