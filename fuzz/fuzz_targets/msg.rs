//! The Outlook `.msg` reader on arbitrary compound files: the input always gets the compound
//! file signature, so every run reaches the `cfb` layer and our property reader. Never a panic
//! or a hang; the message written out stays within a bound of the input's size (the reader's
//! read budget is four times the input plus 1 MiB); and the whole pipeline reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut raw = bounce_doctor::msg::SIGNATURE.to_vec();
    raw.extend_from_slice(data.get(8..).unwrap_or_default());
    let converted = bounce_doctor::msg::to_mime(&raw);
    if let Some(mime) = &converted.mime {
        assert!(mime.len() <= 8 * raw.len() + (4 << 20), "{} bytes out of {}", mime.len(), raw.len());
    }
    let report = bounce_doctor::diagnose(&raw);
    let _ = bounce_doctor::render::to_text(&report, bounce_doctor::Lang::En);
});
