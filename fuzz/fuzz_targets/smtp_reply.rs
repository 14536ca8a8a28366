//! The SMTP reply readers on arbitrary text: never a panic, and what they return has the shape
//! they promise.
#![no_main]

use bounce_doctor::smtp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some(code) = smtp::find_reply_code(text) {
        assert!(code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()));
        assert!(matches!(code.as_bytes()[0], b'2' | b'4' | b'5'));
    }
    if let Some(status) = smtp::find_status(text) {
        let groups: Vec<&str> = status.split('.').collect();
        assert_eq!(groups.len(), 3, "{status:?}");
        assert!(matches!(groups[0], "2" | "4" | "5"));
        assert!(groups[1..].iter().all(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit())));
    }
    let _ = smtp::find_command(text);
});
