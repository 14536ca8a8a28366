//! Hostile and broken inputs: every one gets an answer, never a panic, and the answer says what
//! could be read. Results are asserted here; how long they take is the benchmark's business
//! (`make bench`), except for the one scaling check of a known quadratic path at the end.

#[path = "support/hostile_inputs.rs"]
mod hostile_inputs;

use bounce_doctor::{Action, Kind, Lang, Note, Report, diagnose, render};

/// Diagnoses and also renders in both languages: the CLI and the page always do both.
fn diagnose_and_render(raw: &[u8]) -> Report {
    let report = diagnose(raw);
    for lang in [Lang::Ja, Lang::En] {
        assert!(!render::to_text(&report, lang).is_empty());
    }
    report
}

fn only_delivery(report: &Report) -> &bounce_doctor::Delivery {
    assert_eq!(report.deliveries.len(), 1, "{report:#?}");
    &report.deliveries[0]
}

// --- Files that are not messages -------------------------------------------------------------

#[test]
fn empty_and_whitespace_inputs_say_empty() {
    for raw in [&b""[..], b"\n", b"\r\n\r\n \t "] {
        let report = diagnose_and_render(raw);
        assert_eq!(report.kind, Kind::NotABounce);
        assert_eq!(report.notes, vec![Note::Empty], "{raw:?}");
        assert!(report.deliveries.is_empty() && report.advice.is_empty());
    }
}

/// The first bytes of a real 1×1 PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";
/// A zip archive holding one file named `bounce.eml` (local header, data, central directory).
const ZIP: &[u8] = b"PK\x03\x04\x14\0\0\0\0\0\0\0!\0\0\0\0\0\0\0\0\0\0\0\0\0\x0a\0\0\0bounce.emlPK\x01\x02\x14\0\x14\0\0\0\0\0\0\0!\0\0\0\0\0\0\0\0\0\0\0\0\0\x0a\0\0\0\0\0\0\0\0\0\0\0\0\0bounce.emlPK\x05\x06\0\0\0\0\x01\0\x01\08\0\0\0(\0\0\0\0\0";

#[test]
fn png_and_zip_are_binary() {
    for raw in [PNG, ZIP] {
        let report = diagnose_and_render(raw);
        assert_eq!(report.kind, Kind::NotABounce);
        assert_eq!(report.notes, vec![Note::Binary]);
    }
}

#[test]
fn a_msg_cut_after_its_signature_is_noted_as_damaged_not_half_read() {
    let mut msg = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    msg.resize(4096, 0);
    // A .msg carries the bounce's words in UTF-16 streams; they must not be half-read as text.
    msg.extend("550 5.1.1 User unknown".encode_utf16().flat_map(u16::to_le_bytes));
    let report = diagnose_and_render(&msg);
    assert_eq!(report.kind, Kind::NotABounce);
    assert_eq!(report.notes, vec![Note::MsgDamaged]);
}

#[test]
fn bounce_text_after_a_few_control_bytes_is_still_read() {
    // A stray form feed or escape (ISO-2022-JP) is text, not a sign of a binary file.
    let raw = "From: MAILER-DAEMON@example.org\nSubject: Undelivered\n\n\x0c\n\x1b(B\n<a@example.com>: 550 5.1.1 User unknown\n";
    let report = diagnose_and_render(raw.as_bytes());
    assert!(!report.notes.contains(&Note::Binary));
    assert_eq!(only_delivery(&report).recipient.as_deref(), Some("a@example.com"));
}

// --- Messages that are not bounces, or only half of one ---------------------------------------

#[test]
fn an_ordinary_mail_is_not_a_bounce() {
    let raw = b"From: Taro <taro@example.jp>\r\nTo: hanako@example.com\r\nSubject: Lunch on Friday?\r\nDate: Mon, 20 Nov 2023 10:00:00 +0900\r\nMessage-ID: <1@example.jp>\r\n\r\nShall we meet at 12:30 in front of the station?\r\n";
    let report = diagnose_and_render(raw);
    assert_eq!(report.kind, Kind::NotABounce);
    assert!(report.deliveries.is_empty() && report.advice.is_empty());
    assert_eq!(report.decoded_by, None);
    assert!(report.notes.is_empty(), "{:?}", report.notes);
}

/// A multipart/report cut off in the middle of its delivery-status part (a mail client that
/// saved only the first N bytes, or a paste limit): no closing boundary, a field cut short.
const TRUNCATED_DSN: &[u8] = b"From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"\r\n\r\n--B1\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n\r\n--B1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; hanako@partner.example.com\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <hanako@partner.exa";

#[test]
fn a_truncated_bounce_yields_what_could_be_read() {
    let report = diagnose_and_render(TRUNCATED_DSN);
    assert_eq!(report.kind, Kind::Bounce);
    let delivery = only_delivery(&report);
    assert_eq!(delivery.recipient.as_deref(), Some("hanako@partner.example.com"));
    assert_eq!(delivery.action, Some(Action::Failed));
    assert_eq!(delivery.status.as_deref(), Some("5.1.1"));
    assert_eq!(delivery.reply_code.as_deref(), Some("550"));
}

#[test]
fn a_truncated_bounce_is_noted_as_truncated() {
    assert!(diagnose(TRUNCATED_DSN).notes.contains(&Note::Truncated));
}

#[test]
fn a_text_bounce_cut_mid_line_keeps_its_recipient() {
    let raw = b"From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n\n<user@example.com>: host mx.example.com[198.51.100.1] said: 550 5.1";
    let report = diagnose_and_render(raw);
    assert_eq!(report.kind, Kind::Bounce);
    let delivery = only_delivery(&report);
    assert_eq!(delivery.recipient.as_deref(), Some("user@example.com"));
    assert_eq!(delivery.reply_code.as_deref(), Some("550"));
    // `5.1` alone is no enhanced status code.
    assert_eq!(delivery.status, None);
}

// --- Pathological inputs ----------------------------------------------------------------------

#[test]
fn a_megabyte_of_brackets_is_pasted_text_without_a_bounce() {
    let report = diagnose_and_render(&hostile_inputs::brackets());
    assert_eq!(report.kind, Kind::NotABounce);
    assert_eq!(report.notes, vec![Note::NoHeaders]);
}

#[test]
fn a_hundred_thousand_header_lines_still_reach_the_body() {
    let report = diagnose_and_render(&hostile_inputs::many_header_lines());
    assert_eq!(report.kind, Kind::Bounce);
    let delivery = only_delivery(&report);
    assert_eq!(delivery.recipient.as_deref(), Some("user@example.com"));
    assert_eq!(delivery.status.as_deref(), Some("5.1.1"));
}

#[test]
fn ten_thousand_nested_multiparts_do_not_overflow_the_stack() {
    // Run on a small stack on purpose: recursion per nesting level would overflow it.
    let report = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| diagnose(&hostile_inputs::nested_multipart()))
        .expect("thread")
        .join()
        .expect("diagnose panicked or overflowed the stack");
    // The text at the bottom is deeper than the MIME walk follows; it is still found as text.
    assert_eq!(report.kind, Kind::Bounce);
    assert_eq!(only_delivery(&report).recipient.as_deref(), Some("user@example.com"));
}

#[test]
fn a_five_megabyte_line_is_read() {
    let report = diagnose_and_render(&hostile_inputs::single_long_line());
    assert_eq!(report.kind, Kind::Bounce);
    assert!(!report.deliveries.is_empty());
    assert_eq!(report.deliveries[0].reply_code.as_deref(), Some("550"));
}

#[test]
fn invalid_utf8_and_lying_charsets_are_read_as_far_as_they_go() {
    let report = diagnose_and_render(&hostile_inputs::charset_garbage());
    assert_eq!(report.kind, Kind::Bounce);
    assert_eq!(report.decoded_by.as_deref(), Some("rfc3464"));
    let delivery = only_delivery(&report);
    assert_eq!(delivery.action, Some(Action::Failed));
    assert_eq!(delivery.status.as_deref(), Some("5.1.1"));
    assert_eq!(delivery.reply_code.as_deref(), Some("550"));
    // Text from bytes that were not UTF-8 is still valid text (a String), whatever it says.
    let json = serde_json::to_string(&report).expect("serialises");
    assert!(json.contains("5.1.1"));
}

/// An ordinary mail from a person that mentions a number such as a room or an amount: nothing
/// in it is a server's reply (the generic text reader once took the first `4xx `/`5xx ` number of
/// any message with headers for one).
#[test]
fn an_ordinary_mail_with_a_three_digit_number_is_not_a_bounce() {
    let raw = b"From: Taro <taro@example.jp>\r\nTo: hanako@example.com\r\nSubject: Meeting room\r\nDate: Mon, 20 Nov 2023 10:00:00 +0900\r\nMessage-ID: <2@example.jp>\r\n\r\nRoom 450 is booked for us from 10:00.\r\n";
    assert_eq!(diagnose(raw).kind, Kind::NotABounce);
}

#[test]
fn every_byte_value_alone_and_repeated_is_answered() {
    for byte in 0..=255u8 {
        for len in [1, 2, 4097] {
            let report = diagnose(&vec![byte; len]);
            // Too short for a reply code (three digits): nothing here is a bounce.
            let expected_kind = if len < 3 || !byte.is_ascii_digit() { Some(Kind::NotABounce) } else { None };
            if let Some(kind) = expected_kind {
                assert_eq!(report.kind, kind, "byte {byte:#04x} × {len}");
            }
            assert!(serde_json::to_string(&report).is_ok());
        }
    }
}

#[test]
fn header_only_and_body_only_messages() {
    let header_only = diagnose_and_render(b"From: MAILER-DAEMON@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n");
    assert_eq!(header_only.kind, Kind::NotABounce);
    let boundary_only = diagnose_and_render(b"Content-Type: multipart/report; boundary=\"\"\r\n\r\n--\r\n--\r\n----\r\n");
    assert_eq!(boundary_only.kind, Kind::NotABounce);
}

#[test]
fn many_dsn_recipient_blocks_are_all_read() {
    let report = diagnose(&hostile_inputs::many_dsn_blocks());
    assert_eq!(report.decoded_by.as_deref(), Some("rfc3464"));
    // All read; the report lists the first ones and counts the rest.
    assert_eq!(report.deliveries.len() + report.omitted_deliveries, 100_000);
    assert_eq!(report.deliveries.len(), bounce_doctor::report::MAX_DELIVERIES);
    assert!(report.deliveries.iter().all(|d| d.status.as_deref() == Some("5.1.1")));
}

#[test]
fn many_distinct_recipient_lines_are_all_read() {
    // Kept small here (tests/scaling.rs checks the family "recipient reply lines" scales
    // linearly); the benchmark times the 100 000 case.
    let mut raw = b"From: MAILER-DAEMON@example.org\nSubject: Undelivered\n\n".to_vec();
    for i in 0..2_000 {
        raw.extend_from_slice(format!("<user{i}@example.com>: 550 5.1.1 User unknown\n").as_bytes());
    }
    let report = diagnose(&raw);
    // The report lists the first ones and counts the rest (a pasted log stays readable).
    let listed = bounce_doctor::report::MAX_DELIVERIES;
    assert_eq!(report.deliveries.len(), listed);
    assert_eq!(report.omitted_deliveries, 2_000 - listed);
    assert_eq!(report.deliveries[listed - 1].recipient.as_deref(), Some(format!("user{}@example.com", listed - 1).as_str()));
    let text = bounce_doctor::render::to_text(&report, bounce_doctor::Lang::En);
    assert!(text.contains(&format!("{} more recipients", 2_000 - listed)), "{text}");
}

// --- Found by fuzzing (fuzz/README.md) ---------------------------------------------------------

/// A `message/rfc822` part whose header block names `message/rfc822` again and stops short.
/// mail-parser 0.11.9 then reaches `debug_assert!(false, "Invalid part ID, could not find
/// multipart.")` (src/parsers/message.rs:485): a silent recovery in release builds (CLI, page),
/// a panic wherever its debug assertions are on — so Cargo.toml turns them off for mail-parser
/// in the dev profile too. Found by the `diagnose` fuzz target with `-a`.
const NESTED_RFC822_WITHOUT_BODY: &[u8] = b"Subject: x\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nRe\nContent-Type: message/rfc822\r\n\r\nRen-Patan\r\n\r\n--b--\r\n";

#[test]
fn nested_rfc822_part_without_body_does_not_panic() {
    let report = diagnose_and_render(NESTED_RFC822_WITHOUT_BODY);
    assert_eq!(report.kind, Kind::NotABounce);
}

// See `hostile_inputs::MIME_CYCLE`: found by the `diagnose` fuzz target as a timeout.
use hostile_inputs::{MIME_CYCLE, MIME_NO_CYCLE};

#[test]
fn a_cyclic_mime_tree_is_answered() {
    assert_eq!(diagnose_and_render(MIME_CYCLE).kind, Kind::NotABounce);
}

#[test]
fn a_cyclic_mime_tree_is_walked_once() {
    let time = |raw: &[u8]| {
        (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                std::hint::black_box(diagnose(raw));
                start.elapsed()
            })
            .min()
            .expect("three runs")
    };
    time(MIME_NO_CYCLE); // warm-up (regex compilation)
    let (acyclic, cyclic) = (time(MIME_NO_CYCLE), time(MIME_CYCLE));
    let ratio = cyclic.as_secs_f64() / acyclic.as_secs_f64();
    assert!(ratio < 100.0, "the cyclic tree took {ratio:.0}× the time of an acyclic one ({acyclic:?} → {cyclic:?})");
}
