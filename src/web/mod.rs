//! The page's door into the core: one exported type, plain JS objects out (the JSON the CLI
//! writes, through `JSON.parse`), JS errors with a `name` the page can test. No logic lives here;
//! everything is delegated to the library.
//!
//! A report comes back in (explain, toText) packed, as `diagnose` gave it beside the object: the
//! packed form is read by position (postcard), whose reader is some 20 KB gzip smaller in the wasm
//! than reading the object back field by field (serde-wasm-bindgen's deserializer, which drags in
//! float formatting for its error messages). Writing the objects as JSON instead of with
//! serde-wasm-bindgen's serializer is another 0.8 KB smaller (wasm and glue).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::i18n::{self, Lang};
use crate::{Report, charset, diagnose, mbox, message, render};

/// The error kinds the page can tell apart (`error.name` in JavaScript).
const UNSUPPORTED_LANGUAGE: &str = "UnsupportedLanguageError";
const INVALID_REPORT: &str = "InvalidReportError";
const SERIALIZE_FAILED: &str = "SerializeError";

fn js_error(name: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    error.into()
}

/// Plain JS objects (not `Map`s) so the page reads `report.deliveries[0].blocklist.ip`; the JSON
/// has the shape of the CLI's `--json`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(value).map_err(|e| js_error(SERIALIZE_FAILED, &e.to_string()))?;
    js_sys::JSON::parse(&json)
}

fn parse_lang(lang: &str) -> Result<Lang, JsValue> {
    match lang {
        "en" => Ok(Lang::En),
        "ja" => Ok(Lang::Ja),
        other => Err(js_error(UNSUPPORTED_LANGUAGE, &format!("unsupported language {other:?}: use \"ja\" or \"en\""))),
    }
}

/// A diagnosis from `diagnose` (an object with its `packed` report), or the raw message bytes
/// (`Uint8Array`) to diagnose first.
fn report_from(input: JsValue) -> Result<Report, JsValue> {
    let packed = js_sys::Reflect::get(&input, &"packed".into()).ok().and_then(|packed| packed.dyn_into::<js_sys::Uint8Array>().ok());
    match (packed, input.dyn_ref::<js_sys::Uint8Array>()) {
        (Some(packed), _) => postcard::from_bytes(&packed.to_vec()).map_err(|e| js_error(INVALID_REPORT, &format!("not a report: {e}"))),
        (None, Some(bytes)) => Ok(diagnose(&bytes.to_vec())),
        (None, None) => Err(js_error(INVALID_REPORT, "not a report: give diagnose's result or the message's bytes")),
    }
}

#[derive(Serialize)]
struct Notice {
    text: String,
}

#[wasm_bindgen]
extern "C" {
    /// The host's WHATWG decoder (browsers, workers and Node all have it).
    type TextDecoder;
    #[wasm_bindgen(constructor, catch)]
    fn new(label: &str, options: &JsValue) -> Result<TextDecoder, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn decode(this: &TextDecoder, bytes: &[u8]) -> Result<String, JsValue>;
}

/// [`charset::HostDecoder`] through `TextDecoder`; `ignoreBOM`, since the core sniffs the mark.
fn text_decoder(encoding: &str, bytes: &[u8], fatal: bool) -> Option<String> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"fatal".into(), &fatal.into()).ok()?;
    js_sys::Reflect::set(&options, &"ignoreBOM".into(), &true.into()).ok()?;
    TextDecoder::new(encoding, &options).ok()?.decode(bytes).ok()
}

/// The diagnosis, as the page uses it.
#[wasm_bindgen]
pub struct Doctor;

impl Default for Doctor {
    fn default() -> Doctor {
        Doctor::new()
    }
}

#[wasm_bindgen]
impl Doctor {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Doctor {
        charset::set_host_decoder(text_decoder);
        Doctor
    }

    /// Compiles part `part` of the rule tables ahead of a first diagnosis; false once there are
    /// no more parts (see [`crate::prepare`]).
    pub fn prepare(&self, part: usize) -> bool {
        crate::prepare(part)
    }

    /// One message's diagnosis from its raw bytes: `{report, packed}`, the report in the
    /// contract's shape and the same report packed for `explain` and `toText`.
    pub fn diagnose(&self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        let report = diagnose(bytes);
        let packed = crate::report::with_every_field(|| postcard::to_allocvec(&report)).map_err(|e| js_error(SERIALIZE_FAILED, &e.to_string()))?;
        let diagnosis = js_sys::Object::new();
        js_sys::Reflect::set(&diagnosis, &"report".into(), &to_js(&report)?)?;
        js_sys::Reflect::set(&diagnosis, &"packed".into(), &js_sys::Uint8Array::from(&packed[..]))?;
        Ok(diagnosis.into())
    }

    /// The decoded notice of a message (charsets, quoted-printable, base64 undone; HTML reduced
    /// to text) as `{text}`, for the page's evidence view.
    pub fn notice(&self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        to_js(&Notice { text: message::read(bytes).readable_text() })
    }

    /// The verdict, severity and steps in `lang` ("ja" or "en") for a diagnosis or raw bytes.
    pub fn explain(&self, report: JsValue, lang: &str) -> Result<JsValue, JsValue> {
        let lang = parse_lang(lang)?;
        to_js(&render::explain(&report_from(report)?, lang))
    }

    /// The plain-text block for a helpdesk ticket, in `lang`, headed by `source` when given.
    #[wasm_bindgen(js_name = toText)]
    pub fn to_text(&self, report: JsValue, lang: &str, source: Option<String>) -> Result<String, JsValue> {
        let lang = parse_lang(lang)?;
        let report = Report { source, ..report_from(report)? };
        Ok(render::to_text(&report, lang))
    }

    /// The messages of an input (an mbox's messages, else the input itself), by the CLI's rule
    /// (`mbox::messages`); `name` is the file's name, "" for pasted text. Each as bytes, so the
    /// page can report progress between them.
    pub fn messages(&self, bytes: &[u8], name: &str) -> js_sys::Array {
        mbox::messages(Some(name), bytes).iter().map(|message| js_sys::Uint8Array::from(&**message)).collect()
    }

    /// The whole catalogue of `lang` as a `{key: text}` object, for the page's own strings.
    pub fn texts(&self, lang: &str) -> Result<JsValue, JsValue> {
        to_js(i18n::catalogue(parse_lang(lang)?))
    }
}

// Run in headless Chromium by `make test` (wasm-bindgen-test); the lib's plain `#[test]`s are not
// run on wasm32, so these are the only tests of this build.
#[cfg(test)]
mod tests;
