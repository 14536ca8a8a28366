//! The RFC 3464 field parser on arbitrary text: never a panic, and every field it keeps has a
//! lowercase name made of field-name characters.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let report = bounce_doctor::dsn::parse(text);
    for fields in std::iter::once(&report.per_message).chain(&report.per_recipient) {
        for (name, _) in &fields.0 {
            assert!(!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'));
        }
        for name in ["final-recipient", "diagnostic-code", "remote-mta", "status"] {
            let _ = fields.typed(name);
        }
    }
});
