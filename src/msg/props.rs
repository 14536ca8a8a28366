//! MAPI property values as an Outlook `.msg` file stores them ([MS-OXMSG] §2.4): fixed-size values
//! in the `__properties_version1.0` stream, strings in `__substg1.0_IIIITTTT` streams, Unicode
//! (`001F`, UTF-16LE) or "ANSI" (`001E`, 8-bit in the message's code page).

use crate::charset::{self, Mode};

/// Property types ([MS-OXCDATA] §2.11.1).
pub const PT_LONG: u16 = 0x0003;
pub const PT_SYSTIME: u16 = 0x0040;

/// PR_INTERNET_CPID ([MS-OXPROPS]): the code page the message's internet body was in.
pub const PR_INTERNET_CPID: u16 = 0x3fde;

/// The fixed-size values of one property stream, by (id, type).
#[derive(Debug, Default, Clone)]
pub struct Fixed(Vec<(u16, u16, [u8; 8])>);

/// Where the entries start in a property stream: after a 32-byte header in the top-level
/// message, 24 bytes in an embedded message, 8 bytes in a recipient or attachment
/// ([MS-OXMSG] §2.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    TopMessage,
    EmbeddedMessage,
    Object,
}

impl Fixed {
    /// Reads the 16-byte entries (type, id, flags, value); a short last entry is ignored.
    pub fn parse(stream: &[u8], level: Level) -> Fixed {
        let header = match level {
            Level::TopMessage => 32,
            Level::EmbeddedMessage => 24,
            Level::Object => 8,
        };
        let entries = stream.get(header..).unwrap_or_default().chunks_exact(16);
        Fixed(
            entries
                .map(|e| {
                    let mut value = [0u8; 8];
                    value.copy_from_slice(&e[8..16]);
                    (u16::from_le_bytes([e[2], e[3]]), u16::from_le_bytes([e[0], e[1]]), value)
                })
                .collect(),
        )
    }

    fn value(&self, id: u16, kind: u16) -> Option<[u8; 8]> {
        self.0.iter().find(|(i, t, _)| *i == id && *t == kind).map(|(_, _, v)| *v)
    }

    pub fn long(&self, id: u16) -> Option<u32> {
        self.value(id, PT_LONG).map(|v| u32::from_le_bytes([v[0], v[1], v[2], v[3]]))
    }

    /// A PT_SYSTIME as an RFC 5322 date (UTC).
    pub fn time(&self, id: u16) -> Option<String> {
        self.value(id, PT_SYSTIME).and_then(|v| filetime_to_rfc5322(u64::from_le_bytes(v)))
    }
}

/// A FILETIME (100 ns since 1601-01-01 UTC) as `Mon, 27 Nov 2017 10:00:00 +0000`.
pub fn filetime_to_rfc5322(filetime: u64) -> Option<String> {
    const UNIX_EPOCH_SECONDS: u64 = 11_644_473_600;
    let seconds = (filetime / 10_000_000).checked_sub(UNIX_EPOCH_SECONDS)?;
    let days = (seconds / 86_400) as i64;
    let of_day = seconds % 86_400;
    // Days to civil date (H. Hinnant's algorithm), proleptic Gregorian.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if year > 9999 {
        return None;
    }
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    Some(format!(
        "{}, {day} {} {year} {:02}:{:02}:{:02} +0000",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    ))
}

/// A `001F` string: UTF-16LE; Outlook sometimes stores the terminating U+0000 too.
pub fn unicode(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    let text = String::from_utf16_lossy(&units);
    text.trim_end_matches('\0').to_owned()
}

/// A `001E` string in the given encoding (a WHATWG name), NUL terminator dropped.
pub fn ansi(bytes: &[u8], encoding: &str) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    decode(&bytes[..end], encoding)
}

/// Bytes in the given encoding; bad bytes become U+FFFD.
pub fn decode(bytes: &[u8], encoding: &str) -> String {
    charset::decode(encoding, bytes, Mode::Sniff).unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned())
}

/// The encoding (its WHATWG name) of a Windows code page number, for the ones mail uses.
pub fn code_page(cp: u32) -> Option<&'static str> {
    Some(match cp {
        65001 => "utf-8",
        932 => "shift_jis",
        936 => "gbk",
        54936 => "gb18030",
        949 => "euc-kr",
        950 => "big5",
        874 => "windows-874",
        1250 => "windows-1250",
        1251 => "windows-1251",
        // 20127 is US-ASCII, a subset.
        1252 | 20127 | 28591 => "windows-1252",
        1253 => "windows-1253",
        1254 => "windows-1254",
        1255 => "windows-1255",
        1256 => "windows-1256",
        1257 => "windows-1257",
        1258 => "windows-1258",
        866 => "ibm866",
        20866 => "koi8-r",
        21866 => "koi8-u",
        28592 => "iso-8859-2",
        28595 => "iso-8859-5",
        28597 => "iso-8859-7",
        28599 => "windows-1254",
        50220..=50222 => "iso-2022-jp",
        51932 | 20932 => "euc-jp",
        10000 => "macintosh",
        _ => return None,
    })
}

/// The Windows ("ANSI") code page of a locale id's language, for messages that name no code
/// page of their own. The table is Windows' default ANSI code page per primary language
/// (Microsoft "Code Page Identifiers" / NLS locale tables).
pub fn locale_code_page(lcid: u32) -> u32 {
    let language = lcid & 0x3ff;
    match lcid {
        // Chinese: Taiwan, Hong Kong, Macao use Big5; the PRC and Singapore GBK.
        0x0404 | 0x0c04 | 0x1404 => 950,
        _ => match language {
            0x11 => 932,
            0x04 => 936,
            0x12 => 949,
            0x1e => 874,
            0x2a => 1258,
            // Cyrillic: Russian, Ukrainian, Belarusian, Bulgarian, Macedonian, Kazakh, Kyrgyz, Mongolian, Tatar.
            0x19 | 0x22 | 0x23 | 0x02 | 0x2f | 0x3f | 0x40 | 0x50 | 0x44 => 1251,
            // Central European: Czech, Hungarian, Polish, Croatian/Serbian Latin, Slovak, Slovenian, Romanian, Albanian.
            0x05 | 0x0e | 0x15 | 0x1a | 0x1b | 0x24 | 0x18 | 0x1c => 1250,
            0x08 => 1253,
            0x1f => 1254,
            0x0d => 1255,
            0x01 | 0x20 | 0x29 => 1256,
            0x25..=0x27 => 1257,
            _ => 1252,
        },
    }
}

/// The encoding of a message's `001E` strings: PR_MESSAGE_CODEPAGE (3FFD); else
/// PR_INTERNET_CPID (3FDE) when it names an 8-bit Windows code page (a 7-bit or Unicode
/// internet code page such as ISO-2022-JP 50220 or UTF-8 says nothing about how Outlook stored
/// the strings: seen in msgreader's cp932 sample, whose strings are Shift_JIS); else the locale's
/// ANSI code page (3FF1). `None` when the message names none of these (an embedded message
/// then keeps its parent's).
pub fn message_encoding(fixed: &Fixed) -> Option<&'static str> {
    const PR_MESSAGE_CODEPAGE: u16 = 0x3ffd;
    const PR_MESSAGE_LOCALE_ID: u16 = 0x3ff1;
    let stored = fixed.long(PR_MESSAGE_CODEPAGE).and_then(code_page);
    let internet = fixed
        .long(PR_INTERNET_CPID)
        .filter(|cp| !matches!(cp, 65001 | 1200 | 20127 | 50220..=50222))
        .and_then(code_page);
    let locale = fixed.long(PR_MESSAGE_LOCALE_ID).map(locale_code_page).and_then(code_page);
    stored.or(internet).or(locale)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn stream(header: usize, entries: &[(u16, u16, u64)]) -> Vec<u8> {
        let mut out = vec![0u8; header];
        for &(kind, id, value) in entries {
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&6u32.to_le_bytes());
            out.extend_from_slice(&value.to_le_bytes());
        }
        out
    }

    #[test]
    fn fixed_values_are_found_after_each_levels_header() {
        let entries = [(PT_LONG, 0x3ffd, 932), (PT_LONG, 0x3705, 5)];
        for (level, header) in [(Level::TopMessage, 32), (Level::EmbeddedMessage, 24), (Level::Object, 8)] {
            let fixed = Fixed::parse(&stream(header, &entries), level);
            assert_eq!(fixed.long(0x3ffd), Some(932));
            assert_eq!(fixed.long(0x3705), Some(5));
            assert_eq!(fixed.long(0x0039), None);
        }
        // A stream cut inside an entry keeps the whole entries before it.
        let mut cut = stream(8, &entries);
        cut.truncate(8 + 16 + 7);
        assert_eq!(Fixed::parse(&cut, Level::Object).long(0x3ffd), Some(932));
        assert_eq!(Fixed::parse(&cut, Level::Object).long(0x3705), None);
        assert_eq!(Fixed::parse(&[1, 2, 3], Level::TopMessage).long(0x3ffd), None);
    }

    #[test]
    fn systime_becomes_an_rfc5322_date() {
        // 2017-11-27 10:00:00 UTC = Unix 1511776800; FILETIME counts 100 ns from 1601.
        let filetime = (1_511_776_800u64 + 11_644_473_600) * 10_000_000;
        let fixed = Fixed::parse(&stream(32, &[(PT_SYSTIME, 0x0039, filetime)]), Level::TopMessage);
        assert_eq!(fixed.time(0x0039).as_deref(), Some("Mon, 27 Nov 2017 10:00:00 +0000"));
        // 2000-02-29 23:59:59 UTC (a leap day, a Tuesday).
        assert_eq!(filetime_to_rfc5322((951_868_799u64 + 11_644_473_600) * 10_000_000).as_deref(), Some("Tue, 29 Feb 2000 23:59:59 +0000"));
        assert_eq!(filetime_to_rfc5322(0), None);
        assert_eq!(filetime_to_rfc5322(u64::MAX), None);
    }

    #[test]
    fn unicode_strings_lose_their_stored_terminator() {
        let bytes: Vec<u8> = "IPM.Note\0".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(unicode(&bytes), "IPM.Note");
        // An odd last byte is not half a character.
        assert_eq!(unicode(&[b'a', 0, b'b']), "a");
    }

    #[test]
    fn ansi_strings_follow_the_message_code_page() {
        // 日本 in Shift_JIS; 'Почта' in windows-1251.
        assert_eq!(ansi(&[0x93, 0xfa, 0x96, 0x7b, 0], "shift_jis"), "日本");
        assert_eq!(ansi(&[0xcf, 0xee, 0xf7, 0xf2, 0xe0], "windows-1251"), "Почта");
        let with = |entries: &[(u16, u16, u64)]| message_encoding(&Fixed::parse(&stream(32, entries), Level::TopMessage)).unwrap_or("none");
        // PR_MESSAGE_CODEPAGE wins.
        assert_eq!(with(&[(PT_LONG, 0x3ffd, 1251), (PT_LONG, 0x3fde, 936), (PT_LONG, 0x3ff1, 1041)]), "windows-1251");
        // An 8-bit internet code page stands in for it.
        assert_eq!(with(&[(PT_LONG, 0x3fde, 936), (PT_LONG, 0x3ff1, 1033)]), "gbk");
        // ISO-2022-JP as the internet code page: the locale (Japanese, 1041) decides: cp932.
        assert_eq!(with(&[(PT_LONG, 0x3fde, 50220), (PT_LONG, 0x3ff1, 1041)]), "shift_jis");
        assert_eq!(with(&[(PT_LONG, 0x3ff1, 0x0804)]), "gbk");
        assert_eq!(with(&[(PT_LONG, 0x3ff1, 0x0404)]), "big5");
        assert_eq!(with(&[(PT_LONG, 0x3ff1, 1049)]), "windows-1251");
        assert_eq!(with(&[]), "none");
        // An unknown code page number falls through to the next source.
        assert_eq!(with(&[(PT_LONG, 0x3ffd, 12345), (PT_LONG, 0x3ff1, 1041)]), "shift_jis");
    }
}
