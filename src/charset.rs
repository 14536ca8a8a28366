//! Legacy charsets (ISO-2022-JP, Shift_JIS, EUC-JP, GB18030, Big5, EUC-KR, ...), decoded as the
//! WHATWG Encoding Standard says. Natively that is `encoding_rs`. The page instead asks the
//! browser's own decoder (`TextDecoder`, the same standard), which the host hands in through
//! [`set_host_decoder`]: the page then carries no charset tables (about 130 KB gzipped, a
//! quarter of it). The core stays pure: it only calls the function it is given.
//!
//! [`mail_parser_lossy`] names the charsets mail-parser decodes with `encoding_rs`; built
//! without its `full_encoding` feature (the page), it reads them as UTF-8 instead, so the
//! reader decodes those parts and words again through here.

/// How to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A byte-order mark picks UTF-8 or UTF-16 instead; bad bytes become U+FFFD
    /// (`Encoding::decode` and `new_decoder` in encoding_rs).
    Sniff,
    /// No byte-order-mark handling; `None` at the first bad byte
    /// (`decode_without_bom_handling_and_without_replacement`).
    Strict,
}

/// The host's decoder: the WHATWG name of an encoding, the bytes, fatal on errors or not. `None`
/// when it cannot decode (an unknown encoding, or a bad byte when fatal).
pub type HostDecoder = fn(&str, &[u8], bool) -> Option<String>;

#[cfg(target_arch = "wasm32")]
static HOST: std::sync::OnceLock<HostDecoder> = std::sync::OnceLock::new();

/// Hands the core the host's decoder (the page does this once, before any diagnosis). Without
/// one, legacy charsets read as UTF-8 with replacement characters.
#[cfg(target_arch = "wasm32")]
pub fn set_host_decoder(decoder: HostDecoder) {
    let _ = HOST.set(decoder);
}

/// Decodes `bytes` in the encoding of that WHATWG name (lowercase, e.g. `shift_jis`).
pub fn decode(encoding: &str, bytes: &[u8], mode: Mode) -> Option<String> {
    if mode == Mode::Sniff {
        // The byte-order mark wins over the label (WHATWG "decode").
        match bytes {
            [0xEF, 0xBB, 0xBF, rest @ ..] => return Some(String::from_utf8_lossy(rest).into_owned()),
            [0xFF, 0xFE, rest @ ..] => return without_bom("utf-16le", rest),
            [0xFE, 0xFF, rest @ ..] => return without_bom("utf-16be", rest),
            _ => {}
        }
    }
    match encoding {
        // Not decoders a host offers everywhere (Node has no x-user-defined); both are a line.
        "replacement" => Some(if bytes.is_empty() { String::new() } else { "\u{FFFD}".to_owned() }),
        "x-user-defined" => Some(bytes.iter().map(|&b| if b < 0x80 { char::from(b) } else { char::from_u32(0xF700 + u32::from(b)).unwrap_or('\u{FFFD}') }).collect()),
        _ => host(encoding, bytes, mode == Mode::Strict),
    }
}

fn without_bom(encoding: &str, bytes: &[u8]) -> Option<String> {
    host(encoding, bytes, false)
}

#[cfg(not(target_arch = "wasm32"))]
fn host(encoding: &str, bytes: &[u8], fatal: bool) -> Option<String> {
    let encoding = encoding_rs::Encoding::for_label(encoding.as_bytes())?;
    if fatal {
        encoding.decode_without_bom_handling_and_without_replacement(bytes).map(|text| text.into_owned())
    } else {
        Some(encoding.decode_without_bom_handling(bytes).0.into_owned())
    }
}

#[cfg(target_arch = "wasm32")]
fn host(encoding: &str, bytes: &[u8], fatal: bool) -> Option<String> {
    match HOST.get() {
        Some(decoder) => decoder(encoding, bytes, fatal),
        None => Some(String::from_utf8_lossy(bytes).into_owned()),
    }
}

/// The WHATWG encoding mail-parser 0.11 uses `encoding_rs` for, by its own label spelling
/// (lowercase, `-` as `_`: its `decoders/charsets/map.rs`); `None` for the charsets it decodes
/// itself (UTF-8, UTF-16, UTF-7, the ISO-8859 and Windows single-byte sets).
pub fn mail_parser_lossy(label: &str) -> Option<&'static str> {
    let label: String = label.trim().chars().take(45).map(|c| if c == '-' { '_' } else { c.to_ascii_lowercase() }).collect();
    let name = match label.as_str() {
        "csshiftjis" | "ms932" | "ms_kanji" | "shift_jis" | "sjis" | "windows_31j" | "x_sjis" => "shift_jis",
        "cseucpkdfmtjapanese" | "euc_jp" | "extended_unix_code_packed_format_for_japanese" | "x_euc_jp" => "euc-jp",
        "csiso2022jp" | "iso_2022_jp" => "iso-2022-jp",
        "big5" | "big5_hkscs" | "cn_big5" | "csbig5" | "x_x_big5" => "big5",
        "csgb18030" | "gb18030" | "gb2312" => "gb18030",
        "chinese" | "cp936" | "csgb2312" | "csgbk" | "csiso58gb231280" | "gb_2312" | "gb_2312_80" | "gbk" | "iso_ir_58" | "ms936"
        | "windows_936" | "x_gbk" => "gbk",
        "cseuckr" | "csksc56011987" | "euc_kr" | "iso_ir_149" | "korean" | "ks_c_5601_1987" | "ks_c_5601_1989" | "ksc5601"
        | "ksc_5601" | "windows_949" => "euc-kr",
        "cswindows874" | "dos_874" | "windows_874" => "windows-874",
        "866" | "cp866" | "csibm866" | "ibm866" => "ibm866",
        "x_mac_cyrillic" | "x_mac_ukrainian" => "x-mac-cyrillic",
        "x_user_defined" => "x-user-defined",
        "csiso2022kr" | "hz_gb_2312" | "iso_2022_cn" | "iso_2022_cn_ext" | "iso_2022_kr" | "replacement" => "replacement",
        _ => return None,
    };
    Some(name)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn japanese_charsets_decode_and_strict_mode_refuses_bad_bytes() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("宛先不明");
        assert_eq!(decode("shift_jis", &sjis, Mode::Strict).as_deref(), Some("宛先不明"));
        assert_eq!(decode("euc-jp", &sjis, Mode::Strict), None);
        assert_eq!(decode("iso-2022-jp", b"\x1b$B%O%m!<\x1b(B", Mode::Sniff).as_deref(), Some("ハロー"));
        assert_eq!(decode("shift_jis", b"\xEF\xBB\xBFabc", Mode::Sniff).as_deref(), Some("abc"));
        assert_eq!(decode("replacement", b"abc", Mode::Sniff).as_deref(), Some("\u{FFFD}"));
        assert_eq!(decode("x-user-defined", b"a\x80", Mode::Sniff).as_deref(), Some("a\u{F780}"));
    }

    /// The table agrees with mail-parser's own choice: each label decodes a probe exactly as
    /// mail-parser (built with `full_encoding`) does, and a label it decodes itself is not listed.
    #[test]
    fn the_lossy_table_matches_mail_parser() {
        use mail_parser::decoders::charsets::map::charset_decoder;
        let probe = b"\x83n\x83\x8D\xa7A\xa6n\x1b$B%O\x1b(B \xc4\xe3\xbe\xc8 abc";
        for label in ["Shift_JIS", "sjis", "x-sjis", "EUC-JP", "ISO-2022-JP", "big5", "gb2312", "GBK", "ks_c_5601-1987", "windows-874", "cp866", "x-mac-cyrillic", "x-user-defined", "iso-2022-kr", "hz-gb-2312"] {
            let encoding = mail_parser_lossy(label).unwrap_or_else(|| panic!("{label} is missing"));
            let ours = decode(encoding, probe, Mode::Sniff);
            assert_eq!(ours.as_deref(), charset_decoder(label.as_bytes()).map(|d| d(probe)).as_deref(), "{label}");
        }
        for label in ["utf-8", "us-ascii", "iso-8859-1", "windows-1252", "utf-16", "koi8-r"] {
            assert_eq!(mail_parser_lossy(label), None, "{label}");
        }
    }
}
