//! The RTF body of a `.msg` (PR_RTF_COMPRESSED, 1009): decompression per [MS-OXRTFCP] and the
//! HTML or plain text that RTF encapsulates per [MS-OXRTFEX].

/// RTF larger than this is not decompressed (a bounce's RTF is a few KB; the format can claim
/// up to 4 GB in its header).
const MAX_RTF_BYTES: usize = 8 * 1024 * 1024;

/// The dictionary's initial contents ([MS-OXRTFCP] §3.1.3.1), 207 bytes.
const PREBUF: &[u8] = b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

/// Decompresses a PR_RTF_COMPRESSED value: `LZFu` (compressed) or `MELA` (stored). `None` when
/// the header is not one of these. A stream cut short yields what it held.
pub fn decompress(data: &[u8]) -> Option<Vec<u8>> {
    let word = |at: usize| data.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let (comp_size, raw_size, kind) = (word(0)? as usize, word(4)? as usize, data.get(8..12)?);
    // COMPSIZE counts the bytes after itself; the data proper starts after the 16-byte header.
    let body = data.get(16..(4usize.saturating_add(comp_size)).min(data.len())).unwrap_or_default();
    let limit = raw_size.min(MAX_RTF_BYTES);
    match kind {
        b"MELA" => Some(body[..body.len().min(limit)].to_vec()),
        b"LZFu" => Some(lzfu(body, limit)),
        _ => None,
    }
}

fn lzfu(body: &[u8], limit: usize) -> Vec<u8> {
    let mut dictionary = [0u8; 4096];
    dictionary[..PREBUF.len()].copy_from_slice(PREBUF);
    let mut write = PREBUF.len();
    let mut out = Vec::with_capacity(limit.min(body.len() * 8));
    let mut input = body.iter().copied();
    'runs: while let Some(control) = input.next() {
        for bit in 0..8 {
            if out.len() >= limit {
                break 'runs;
            }
            if control & (1 << bit) == 0 {
                let Some(byte) = input.next() else { break 'runs };
                out.push(byte);
                dictionary[write] = byte;
                write = (write + 1) % 4096;
                continue;
            }
            let (Some(high), Some(low)) = (input.next(), input.next()) else { break 'runs };
            let reference = u16::from_be_bytes([high, low]);
            let offset = usize::from(reference >> 4);
            // A reference to the write position marks the end.
            if offset == write {
                break 'runs;
            }
            for i in 0..usize::from(reference & 0xf) + 2 {
                let byte = dictionary[(offset + i) % 4096];
                out.push(byte);
                dictionary[write] = byte;
                write = (write + 1) % 4096;
            }
        }
    }
    out.truncate(limit);
    out
}

/// What an RTF body encapsulates, if anything.
#[derive(Debug, PartialEq, Eq)]
pub enum Encapsulated {
    Html(String),
    Text(String),
}

/// The HTML (`\fromhtml1`) or plain text (`\fromtext`) inside an RTF body ([MS-OXRTFEX] §2.1).
/// RTF that encapsulates neither is read as text too (its words are what a person saw).
pub fn de_encapsulate(rtf: &[u8]) -> Encapsulated {
    let head = &rtf[..rtf.len().min(1024)];
    let has = |word: &[u8]| head.windows(word.len()).any(|w| w == word);
    let html = has(b"\\fromhtml");
    let text = Reader::new(rtf, html).run();
    if html { Encapsulated::Html(text) } else { Encapsulated::Text(text) }
}

/// Destinations whose text is not part of the message.
const SKIPPED: &[&[u8]] = &[b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"header", b"footer", b"listtable", b"listoverridetable", b"rsidtbl", b"generator", b"xmlnstbl", b"themedata", b"datastore", b"latentstyles"];

#[derive(Clone, Copy)]
struct Group {
    skip: bool,
    /// Inside `\htmlrtf` (RTF only for display; not part of the HTML).
    htmlrtf: bool,
    /// Inside `{\*\htmltag...}`: the HTML markup itself.
    htmltag: bool,
    /// Characters to skip after `\uN` (`\ucN`).
    uc: usize,
}

struct Reader<'a> {
    rtf: &'a [u8],
    at: usize,
    from_html: bool,
    /// The `\ansicpg` code page's encoding (a WHATWG name).
    encoding: &'static str,
    out: String,
    /// `\'hh` bytes waiting to be decoded together (a double-byte character is two of them).
    pending: Vec<u8>,
}

impl<'a> Reader<'a> {
    fn new(rtf: &'a [u8], from_html: bool) -> Reader<'a> {
        Reader { rtf, at: 0, from_html, encoding: "windows-1252", out: String::new(), pending: Vec::new() }
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let decoded = super::props::decode(&self.pending, self.encoding);
            self.out.push_str(&decoded);
            self.pending.clear();
        }
    }

    fn emit(&mut self, group: &Group, text: &str) {
        if self.visible(group) {
            self.flush();
            self.out.push_str(text);
        }
    }

    fn visible(&self, group: &Group) -> bool {
        !group.skip && (group.htmltag || !group.htmlrtf)
    }

    fn run(mut self) -> String {
        let mut stack: Vec<Group> = Vec::new();
        let mut group = Group { skip: false, htmlrtf: false, htmltag: false, uc: 1 };
        // Characters still to skip after a `\uN`.
        let mut skip_chars = 0usize;
        // True right after `{`, where a destination word may follow.
        let mut group_start = false;
        let mut starred = false;
        while let Some(&byte) = self.rtf.get(self.at) {
            self.at += 1;
            match byte {
                b'{' => {
                    // Deep nesting is cut off at a fixed depth: the text inside is then skipped.
                    stack.push(group);
                    if stack.len() > 256 {
                        group.skip = true;
                    }
                    group_start = true;
                    starred = false;
                    skip_chars = 0;
                    continue;
                }
                b'}' => {
                    group = stack.pop().unwrap_or(group);
                    skip_chars = 0;
                }
                b'\\' => {
                    let Some(&next) = self.rtf.get(self.at) else { break };
                    if next.is_ascii_alphabetic() {
                        let (word, param) = self.control_word();
                        if skip_chars > 0 {
                            skip_chars -= 1;
                            group_start = false;
                            continue;
                        }
                        self.control(word, param, &mut group, &mut skip_chars, group_start, starred);
                        group_start = false;
                        continue;
                    }
                    self.at += 1;
                    match next {
                        b'*' => {
                            starred = true;
                            continue;
                        }
                        b'\'' => {
                            let hex = self.rtf.get(self.at..self.at + 2).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
                            if let Some(value) = hex {
                                self.at += 2;
                                if skip_chars > 0 {
                                    skip_chars -= 1;
                                } else if self.visible(&group) {
                                    self.pending.push(value);
                                }
                            }
                        }
                        b'\\' | b'{' | b'}' => {
                            if skip_chars > 0 {
                                skip_chars -= 1;
                            } else {
                                self.emit(&group, char::from(next).encode_utf8(&mut [0; 4]));
                            }
                        }
                        b'~' => self.emit(&group, "\u{a0}"),
                        b'\n' | b'\r' => self.emit(&group, "\n"),
                        _ => {}
                    }
                }
                b'\r' | b'\n' => {}
                _ => {
                    if skip_chars > 0 {
                        skip_chars -= 1;
                    } else {
                        self.emit(&group, char::from(byte).encode_utf8(&mut [0; 4]));
                    }
                }
            }
            group_start = false;
            starred = false;
        }
        self.flush();
        self.out
    }

    /// Reads a control word and its optional numeric parameter; one space after it belongs to it.
    fn control_word(&mut self) -> (&'a [u8], Option<i32>) {
        let rtf = self.rtf;
        let start = self.at;
        while rtf.get(self.at).is_some_and(u8::is_ascii_alphabetic) {
            self.at += 1;
        }
        let word = &rtf[start..self.at];
        let number_start = self.at;
        if rtf.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        while rtf.get(self.at).is_some_and(u8::is_ascii_digit) && self.at - number_start < 10 {
            self.at += 1;
        }
        let param = std::str::from_utf8(&rtf[number_start..self.at]).ok().and_then(|n| n.parse().ok());
        if rtf.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        (word, param)
    }

    fn control(&mut self, word: &[u8], param: Option<i32>, group: &mut Group, skip_chars: &mut usize, group_start: bool, starred: bool) {
        if group_start && (starred || SKIPPED.contains(&word)) {
            // `\*\mhtmltag` repeats a tag with a rewritten URL: skipped like any other.
            if word == b"htmltag" && self.from_html {
                group.htmltag = true;
            } else {
                group.skip = true;
            }
            return;
        }
        match word {
            b"ansicpg" => {
                self.flush();
                if let Some(encoding) = param.and_then(|cp| u32::try_from(cp).ok()).and_then(super::props::code_page) {
                    self.encoding = encoding;
                }
            }
            b"htmlrtf" => group.htmlrtf = param != Some(0),
            b"uc" => group.uc = param.and_then(|n| usize::try_from(n).ok()).unwrap_or(1).min(8),
            b"u" => {
                if let Some(n) = param {
                    // Negative values stand for code units above 32767.
                    let unit = if n < 0 { (n + 65536) as u32 } else { n as u32 };
                    self.emit(group, char::from_u32(unit).unwrap_or('\u{fffd}').encode_utf8(&mut [0; 4]));
                    *skip_chars = group.uc;
                }
            }
            b"par" | b"line" => self.emit(group, "\n"),
            b"tab" => self.emit(group, "\t"),
            b"lquote" => self.emit(group, "\u{2018}"),
            b"rquote" => self.emit(group, "\u{2019}"),
            b"ldblquote" => self.emit(group, "\u{201c}"),
            b"rdblquote" => self.emit(group, "\u{201d}"),
            b"bullet" => self.emit(group, "\u{2022}"),
            b"endash" => self.emit(group, "\u{2013}"),
            b"emdash" => self.emit(group, "\u{2014}"),
            _ => {}
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) mod tests {
    use super::*;

    /// [MS-OXRTFCP] §4.1's example input, compressed: `{\rtf1\ansi\ansicpg1252\pard test}`
    /// as COMPSIZE, RAWSIZE, "LZFu", CRC, then control bytes, literals and dictionary
    /// references (the reference `0x0F10` points at the write position and ends the stream).
    const COMPRESSED: &[u8] = &[
        0x23, 0x00, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00, b'L', b'Z', b'F', b'u', 0x33, 0x5c, 0xe8, 0x74, //
        0x03, 0x00, 0x0a, 0x00, 0x72, b'c', b'p', b'g', b'1', b'2', b'5', //
        0x92, b'2', 0x0a, 0xf3, b' ', b't', 0x07, 0x90, b't', b'}', 0x0f, 0x10,
    ];

    #[test]
    fn lzfu_references_reach_into_the_preloaded_dictionary() {
        assert_eq!(decompress(COMPRESSED).unwrap(), b"{\\rtf1\\ansi\\ansicpg1252\\pard test}");
    }

    /// A PR_RTF_COMPRESSED value in the stored form: the header, then the RTF as is.
    pub(in crate::msg) fn mela(rtf: &[u8]) -> Vec<u8> {
        let mut data = Vec::new();
        data.extend_from_slice(&(12 + rtf.len() as u32).to_le_bytes());
        data.extend_from_slice(&(rtf.len() as u32).to_le_bytes());
        data.extend_from_slice(b"MELA\0\0\0\0");
        data.extend_from_slice(rtf);
        data
    }

    #[test]
    fn mela_is_stored_as_is() {
        let text = b"{\\rtf1\\ansi\\ansicpg1252\\pard test}";
        assert_eq!(decompress(&mela(text)).unwrap(), text);
    }

    #[test]
    fn a_reference_longer_than_its_distance_repeats_what_it_copies() {
        // "ab" as literals at 207/208, a reference to 207 of length 6 ("ababab"), then the end
        // reference to the write position 215 (0xd7).
        let mut data = vec![0; 16];
        data[8..12].copy_from_slice(b"LZFu");
        let body = [0b0000_1100, b'a', b'b', 0x0c, 0xf4, 0x0d, 0x70];
        data[0..4].copy_from_slice(&(12 + body.len() as u32).to_le_bytes());
        data[4..8].copy_from_slice(&100u32.to_le_bytes());
        data.extend_from_slice(&body);
        assert_eq!(decompress(&data).unwrap(), b"abababab");
    }

    #[test]
    fn hostile_headers_are_bounded() {
        assert_eq!(decompress(b"short"), None);
        assert_eq!(decompress(&[0xff; 16]), None);
        // A claimed raw size of 4 GB and a body cut short: what there is, no more.
        let mut data = COMPRESSED.to_vec();
        data[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        data[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
        data.truncate(20);
        assert_eq!(decompress(&data).unwrap(), b"{\\rtf1\\ansi\\");
    }

    #[test]
    fn html_comes_out_of_fromhtml_rtf() {
        let rtf = br"{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}{\*\htmltag19 <html>}{\*\htmltag34 <body>}\htmlrtf {\htmlrtf0 Delivery has failed:\htmlrtf\par\htmlrtf0}{\*\htmltag244 <br>\par }\htmlrtf0 caf\'e9 \{x\}{\*\htmltag35 </body>}}";
        assert_eq!(de_encapsulate(rtf), Encapsulated::Html("<html><body>Delivery has failed:<br>\ncafé {x}</body>".to_owned()));
    }

    #[test]
    fn text_comes_out_of_fromtext_rtf_in_its_code_page() {
        let rtf = br"{\rtf1\ansi\ansicpg932\fromtext \deff0{\fonttbl{\f0\fmodern MS Gothic;}}{\*\generator Riched20;}\f0\fs20 \'93\'fa\'96\'7b\par \u12354?x\par}";
        assert_eq!(de_encapsulate(rtf), Encapsulated::Text("日本\nあx\n".to_owned()));
    }
}
