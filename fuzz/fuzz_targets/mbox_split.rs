//! The mbox splitter on arbitrary bytes: never a panic, never more output than input (it only
//! drops separators and one `>` of mboxrd quoting), and every message it yields diagnoses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut total = 0usize;
    for message in bounce_doctor::mbox::split(data) {
        let message: &[u8] = message.as_ref();
        total += message.len();
        let _ = bounce_doctor::diagnose(message);
    }
    assert!(total <= data.len());
});
