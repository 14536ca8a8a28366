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
    let report = get(&Doctor::new().diagnose(SEED_ERS).expect("diagnosis"), &["report"]);
    assert!(!report.is_instance_of::<js_sys::Map>(), "plain object, not a Map");
    assert_eq!(get(&report, &["deliveries", "0", "blocklist", "provider"]).as_string().as_deref(), Some("trendmicro-ers"));
    assert_eq!(get(&report, &["deliveries", "0", "blocklist", "ip"]).as_string().as_deref(), Some("203.0.113.5"));
    let advice: Array = get(&report, &["advice"]).dyn_into().expect("advice array");
    let ids: Vec<String> = advice.iter().filter_map(|a| get(&a, &["id"]).as_string()).collect();
    assert!(ids.iter().any(|id| id == "do-not-resend"), "{ids:?}");
}

#[wasm_bindgen_test]
fn explain_accepts_a_diagnosis_or_bytes_in_both_languages() {
    let doctor = Doctor::new();
    let diagnosis = doctor.diagnose(SEED_ERS).expect("diagnosis");
    let from_report = doctor.explain(diagnosis, "ja").expect("explain");
    let verdict = get(&from_report, &["verdict"]).as_string().unwrap_or_default();
    assert!(verdict.contains("203.0.113.5") && verdict.contains("Trend Micro"), "{verdict}");
    let from_bytes = doctor.explain(Uint8Array::from(SEED_ERS).into(), "en").expect("explain");
    assert_eq!(get(&from_bytes, &["retrying"]).as_bool(), Some(true));
    let first_step = get(&from_bytes, &["steps", "0", "title"]).as_string().unwrap_or_default();
    assert!(!first_step.is_empty());
}

#[wasm_bindgen_test]
fn to_text_writes_the_ticket_block() {
    let text = Doctor::new().to_text(Uint8Array::from(SEED_ERS).into(), "en", None).expect("text");
    assert!(text.contains("203.0.113.5") && text.contains("servicecentral.trendmicro.com"), "{text}");
    assert!(!text.starts_with("=="), "{text}");
    let sourced = Doctor::new().to_text(Uint8Array::from(SEED_ERS).into(), "en", Some("box.mbox#2".into())).expect("text");
    assert_eq!(sourced, format!("== box.mbox#2\n{text}"));
}

/// The packed report the page hands back reads as the report itself: every field, the empty ones
/// and those left out of the object (`notice`, `cause`, `evidence`) included.
#[wasm_bindgen_test]
fn a_packed_report_explains_as_its_message() {
    let doctor = Doctor::new();
    for message in [SEED_ERS, NOTICE, b"".as_slice(), &[0xff, 0x00, 0xfe, b'\n', 0x1b]] {
        let diagnosis = doctor.diagnose(message).expect("diagnosis");
        for lang in ["en", "ja"] {
            let json = |value: JsValue| js_sys::JSON::stringify(&value).ok().and_then(|s| s.as_string()).unwrap_or_default();
            let from_packed = json(doctor.explain(diagnosis.clone(), lang).expect("explain"));
            assert_eq!(from_packed, json(doctor.explain(Uint8Array::from(message).into(), lang).expect("explain")));
            assert_eq!(
                doctor.to_text(diagnosis.clone(), lang, Some("a.eml".into())).expect("text"),
                doctor.to_text(Uint8Array::from(message).into(), lang, Some("a.eml".into())).expect("text")
            );
        }
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
    let not_a_report = JsValue::from_str("hello");
    assert_eq!(error_name(doctor.explain(not_a_report, "en").expect_err("bad report")), "InvalidReportError");
    let report_alone = get(&doctor.diagnose(SEED_ERS).expect("diagnosis"), &["report"]);
    assert_eq!(error_name(doctor.explain(report_alone, "en").expect_err("no packed report")), "InvalidReportError");
    let damaged = js_sys::Object::new();
    Reflect::set(&damaged, &"packed".into(), &Uint8Array::from(&[0xffu8; 7][..])).expect("set");
    assert_eq!(error_name(doctor.explain(damaged.into(), "en").expect_err("damaged")), "InvalidReportError");
}

#[wasm_bindgen_test]
fn notice_is_the_decoded_text() {
    let raw = NOTICE;
    let notice = Doctor::new().notice(raw).expect("notice");
    let text = get(&notice, &["text"]).as_string().unwrap_or_default();
    assert!(text.starts_with("配信できませんでした"), "{text}");
    assert!(text.contains("Status: 5.1.1"), "{text}");
}

#[wasm_bindgen_test]
fn garbage_never_throws() {
    let diagnosis = Doctor::new().diagnose(&[0xff, 0x00, 0xfe, b'\n', 0x1b]).expect("diagnosis");
    assert!(get(&diagnosis, &["report", "kind"]).as_string().is_some());
    assert!(Doctor::new().notice(&[0xff, 0x00, 0xfe, b'\n', 0x1b]).is_ok());
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
