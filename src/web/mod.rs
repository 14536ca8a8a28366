//! The page's door into the core: one exported type, plain JS objects out (the JSON the CLI
//! writes, through `JSON.parse`), JS errors with a `name` the page can test. No logic lives here;
//! everything is delegated to the library.
//!
//! explain and toText take the message's bytes, as diagnose does, and diagnose it again: nothing
//! is read back from the page, so the wasm carries no deserializer for a report (reading one back,
//! packed with postcard, was 5.4 KB gzip of the page; a diagnosis takes well under a millisecond
//! once the tables are compiled). The last diagnosis is kept, so the first card's explain right
//! after its diagnose does not repeat it. Writing the objects as JSON instead of with
//! serde-wasm-bindgen's serializer is another 0.8 KB smaller (wasm and glue).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use std::cell::RefCell;

use crate::i18n::{self, Lang};
use crate::{Report, charset, diagnose, mbox, message, render};

/// The error kinds the page can tell apart (`error.name` in JavaScript).
const UNSUPPORTED_LANGUAGE: &str = "UnsupportedLanguageError";
const SERIALIZE_FAILED: &str = "SerializeError";

fn js_error(name: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    error.into()
}

/// Plain JS objects (not `Map`s) so the page reads `report.deliveries[0].blocklist.ip`; the JSON
/// has the shape of the CLI's `--json`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    // Only a map with non-string keys fails, and the core writes none; serde_json's error texts
    // stay out of the wasm.
    let json = serde_json::to_string(value).map_err(|_| js_error(SERIALIZE_FAILED, "the result could not be written as JSON"))?;
    js_sys::JSON::parse(&json)
}

fn parse_lang(lang: &str) -> Result<Lang, JsValue> {
    match lang {
        "en" => Ok(Lang::En),
        "ja" => Ok(Lang::Ja),
        other => Err(js_error(UNSUPPORTED_LANGUAGE, &format!("unsupported language {other:?}: use \"ja\" or \"en\""))),
    }
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
pub struct Doctor {
    /// The last message diagnosed and its report.
    last: RefCell<Option<(Vec<u8>, Report)>>,
}

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
        Doctor { last: RefCell::new(None) }
    }

    /// `read` given the report of `bytes`: the last one when it is that message again, else a new
    /// diagnosis, which is kept. Lent, not cloned: only toText needs a report of its own.
    fn with_report<T>(&self, bytes: &[u8], read: impl FnOnce(&Report) -> T) -> T {
        let mut last = self.last.borrow_mut();
        let report = match &mut *last {
            Some((message, report)) if message == bytes => report,
            slot => &slot.insert((bytes.to_vec(), diagnose(bytes))).1,
        };
        read(report)
    }

    /// Compiles part `part` of the rule tables ahead of a first diagnosis; false once there are
    /// no more parts (see [`crate::prepare`]).
    pub fn prepare(&self, part: usize) -> bool {
        crate::prepare(part)
    }

    /// One message's diagnosis from its raw bytes: the report in the contract's shape.
    pub fn diagnose(&self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        self.with_report(bytes, to_js)
    }

    /// The decoded notice of a message (charsets, quoted-printable, base64 undone; HTML reduced
    /// to text), for the page's evidence view.
    pub fn notice(&self, bytes: &[u8]) -> String {
        message::read(bytes).readable_text()
    }

    /// The verdict, severity and steps in `lang` ("ja" or "en") for a message's raw bytes. Given
    /// `time` (a function from an RFC 3339 time to its wording), the deadlines in the texts are
    /// written by it, so the page writes every date in its reader's zone and one format.
    pub fn explain(&self, bytes: &[u8], lang: &str, time: Option<js_sys::Function>) -> Result<JsValue, JsValue> {
        let lang = parse_lang(lang)?;
        self.with_report(bytes, |report| match &time {
            Some(time) => {
                let written = |rfc3339: &str| time.call1(&JsValue::NULL, &JsValue::from_str(rfc3339)).ok().and_then(|v| v.as_string()).unwrap_or_else(|| rfc3339.to_owned());
                to_js(&render::explain_with_time(report, lang, &written))
            }
            None => to_js(&render::explain(report, lang)),
        })
    }

    /// The plain-text block for a helpdesk ticket, in `lang`, headed by `source` when given.
    #[wasm_bindgen(js_name = toText)]
    pub fn to_text(&self, bytes: &[u8], lang: &str, source: Option<String>) -> Result<String, JsValue> {
        let lang = parse_lang(lang)?;
        Ok(self.with_report(bytes, |report| render::to_text(&Report { source, ..report.clone() }, lang)))
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
