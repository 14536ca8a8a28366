//! The exported API as the page calls it: JS values in, plain JS objects out.

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

use super::Doctor;

/// The reply of the project's seed case (an ERS deferral, as a user pasted it).
const SEED_ERS: &[u8] = b"said: 450 4.7.1 Service temporarily unavailable; Client host [203.0.113.5] blocked\nusing Trend Micro Network Anti-Spam Service. Please see\nhttp://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.5; Mail\nfrom 203.0.113.5 deferred using Trend Micro Email Reputation database.\n";

/// Base64 of UTF-8 Japanese in a text part, and a delivery-status part after it.
const NOTICE: &[u8] = b"From: MAILER-DAEMON@example.jp\r\nSubject: undeliverable\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n6YWN5L+h44Gn44GN44G+44Gb44KT44Gn44GX44Gf\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.jp\r\n\r\nFinal-Recipient: rfc822; a@example.jp\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n";

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| {
        let key = match key.parse::<u32>() {
            Ok(index) => JsValue::from(index),
            Err(_) => JsValue::from_str(key),
        };
        Reflect::get(&v, &key).unwrap_or(JsValue::UNDEFINED)
    })
}

fn error_name(error: JsValue) -> String {
    error.dyn_into::<js_sys::Error>().map(|e| String::from(e.name())).unwrap_or_default()
}

#[wasm_bindgen_test]
fn diagnose_returns_the_contract_object() {
    let report = Doctor::new().diagnose(SEED_ERS).expect("diagnosis");
    assert!(!report.is_instance_of::<js_sys::Map>(), "plain object, not a Map");
    assert_eq!(get(&report, &["deliveries", "0", "blocklist", "provider"]).as_string().as_deref(), Some("trendmicro-ers"));
    assert_eq!(get(&report, &["deliveries", "0", "blocklist", "ip"]).as_string().as_deref(), Some("203.0.113.5"));
    let advice: Array = get(&report, &["advice"]).dyn_into().expect("advice array");
    let ids: Vec<String> = advice.iter().filter_map(|a| get(&a, &["id"]).as_string()).collect();
    assert!(ids.iter().any(|id| id == "do-not-resend"), "{ids:?}");
}

#[wasm_bindgen_test]
fn explain_reads_the_message_in_both_languages() {
    let doctor = Doctor::new();
    let ja = doctor.explain(SEED_ERS, "ja", None).expect("explain");
    let verdict = get(&ja, &["verdict"]).as_string().unwrap_or_default();
    assert!(verdict.contains("203.0.113.5") && verdict.contains("Trend Micro"), "{verdict}");
    let en = doctor.explain(SEED_ERS, "en", None).expect("explain");
    assert_eq!(get(&en, &["retrying"]).as_bool(), Some(true));
    let first_step = get(&en, &["steps", "0", "title"]).as_string().unwrap_or_default();
    assert!(!first_step.is_empty());
}

#[wasm_bindgen_test]
fn to_text_writes_the_ticket_block() {
    let text = Doctor::new().to_text(SEED_ERS, "en", None).expect("text");
    assert!(text.contains("203.0.113.5") && text.contains("servicecentral.trendmicro.com"), "{text}");
    assert!(!text.starts_with("=="), "{text}");
    let sourced = Doctor::new().to_text(SEED_ERS, "en", Some("box.mbox#2".into())).expect("text");
    assert_eq!(sourced, format!("== box.mbox#2\n{text}"));
}

/// The last diagnosis is kept for the explain that follows it: whichever message comes in, the
/// answer is that message's, as a fresh doctor gives it.
#[wasm_bindgen_test]
fn the_kept_diagnosis_never_answers_for_another_message() {
    let doctor = Doctor::new();
    let json = |value: JsValue| js_sys::JSON::stringify(&value).ok().and_then(|s| s.as_string()).unwrap_or_default();
    let messages: [&[u8]; 4] = [SEED_ERS, NOTICE, b"", &[0xff, 0x00, 0xfe, b'\n', 0x1b]];
    for message in messages {
        let report = json(doctor.diagnose(message).expect("diagnosis"));
        for other in messages {
            for lang in ["en", "ja"] {
                assert_eq!(json(doctor.explain(other, lang, None).expect("explain")), json(Doctor::new().explain(other, lang, None).expect("explain")));
                assert_eq!(doctor.to_text(other, lang, Some("a.eml".into())).expect("text"), Doctor::new().to_text(other, lang, Some("a.eml".into())).expect("text"));
            }
        }
        assert_eq!(json(doctor.diagnose(message).expect("diagnosis")), report);
    }
}

#[wasm_bindgen_test]
fn texts_gives_the_catalogue_with_the_same_keys_in_both_languages() {
    let doctor = Doctor::new();
    let keys = |lang| {
        let mut keys: Vec<String> = js_sys::Object::keys(&doctor.texts(lang).expect("texts").into()).iter().filter_map(|k| k.as_string()).collect();
        keys.sort();
        keys
    };
    let en = keys("en");
    assert!(en.iter().any(|k| k == "verdict.returned"));
    assert_eq!(en, keys("ja"));
}

#[wasm_bindgen_test]
fn errors_are_typed() {
    let doctor = Doctor::new();
    assert_eq!(error_name(doctor.texts("fr").expect_err("fr")), "UnsupportedLanguageError");
    assert_eq!(error_name(doctor.explain(SEED_ERS, "fr", None).expect_err("fr")), "UnsupportedLanguageError");
    assert_eq!(error_name(doctor.to_text(SEED_ERS, "de", None).expect_err("de")), "UnsupportedLanguageError");
}

#[wasm_bindgen_test]
fn notice_is_the_decoded_text() {
    let text = Doctor::new().notice(NOTICE);
    assert!(text.starts_with("配信できませんでした"), "{text}");
    assert!(text.contains("Status: 5.1.1"), "{text}");
}

#[wasm_bindgen_test]
fn garbage_never_throws() {
    let diagnosis = Doctor::new().diagnose(&[0xff, 0x00, 0xfe, b'\n', 0x1b]).expect("diagnosis");
    assert!(get(&diagnosis, &["kind"]).as_string().is_some());
    // A panic would trap the wasm and fail the test.
    Doctor::new().notice(&[0xff, 0x00, 0xfe, b'\n', 0x1b]);
}

#[wasm_bindgen_test]
fn an_mbox_is_recognised_and_split() {
    let doctor = Doctor::new();
    let mbox = b"From MAILER-DAEMON Mon Sep  5 00:00:00 2022\nSubject: one\n\nbody\n\nFrom MAILER-DAEMON Mon Sep  5 00:00:01 2022\nSubject: two\n\nbody\n";
    assert_eq!(doctor.messages(SEED_ERS, "").length(), 1);
    // An .eml is one message, as the CLI reads it.
    assert_eq!(doctor.messages(mbox, "saved.eml").length(), 1);
    let messages = doctor.messages(mbox, "bounces.mbox");
    assert_eq!(messages.length(), 2);
    let second: Uint8Array = messages.get(1).dyn_into().expect("bytes");
    assert!(second.to_vec().starts_with(b"Subject: two"));
}
