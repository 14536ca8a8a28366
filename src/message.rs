//! Reading the message: MIME structure, transfer encodings and charsets (mail-parser), or, when
//! the input has no headers, the pasted text itself. Everything after this step sees decoded text
//! with `\n` line ends.

use mail_parser::{HeaderName, HeaderValue, Message, MessageParser, MessagePart, PartType};

use crate::charset::{self, Mode};
use crate::report::Note;

/// Inputs beyond this size are cut here (a note says so): a bounce is never this large, and it
/// bounds the work on hostile input.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;
/// MIME nesting deeper than this is not followed.
pub const MAX_MIME_DEPTH: usize = 32;

/// A bounce as the decoders see it.
#[derive(Debug, Default, Clone)]
pub struct Mail {
    /// The top-level header fields, names lowercased, values decoded and unfolded.
    pub headers: Vec<(String, String)>,
    /// The human-readable part(s) of the notice, decoded, `\n` line ends. For a message without
    /// MIME structure this is the whole body, returned message included.
    pub body: String,
    /// The `message/delivery-status` (or `global-delivery-status`) parts, decoded.
    pub status: Vec<String>,
    /// The `message/feedback-report` part of an ARF report.
    pub feedback: Option<String>,
    /// The header block of the returned message (`text/rfc822-headers` or `message/rfc822`).
    pub returned_headers: Option<String>,
    /// True when the input had no message headers (pasted text).
    pub is_fragment: bool,
    /// `body`, ASCII-lowercased once for every decoder (same byte offsets).
    pub lower_body: String,
    /// Where the notice ends in `body`: the returned message starts there.
    pub notice_end: usize,
    pub notes: Vec<Note>,
}

impl Mail {
    /// The first top-level header field of that (lowercase) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn subject(&self) -> &str {
        self.header("subject").unwrap_or("")
    }

    pub fn from(&self) -> &str {
        self.header("from").unwrap_or("")
    }

    /// The sender is named as a mail service: the mailbox names RFC 2142 gives them
    /// (`MAILER-DAEMON`, `postmaster`) or a "Mail Delivery ..." display name.
    pub fn from_mail_service(&self) -> bool {
        let from = self.from().to_ascii_lowercase();
        ["mailer-daemon", "postmaster", "mail delivery"].iter().any(|name| from.contains(name))
    }

    /// The notice as a person reads it, decoded: the human-readable text, then each
    /// delivery-status part (where most diagnostics are quoted), a blank line between them, `\n`
    /// line ends. The page shows it as the evidence behind a diagnosis.
    pub fn readable_text(&self) -> String {
        let parts = std::iter::once(self.body.trim_end()).chain(self.status.iter().map(|s| s.trim_end()));
        parts.filter(|part| !part.is_empty()).collect::<Vec<_>>().join("\n\n")
    }
}

/// A decoded part with `\n` line ends: line ends are unified before MIME parsing, but a base64
/// or quoted-printable part brings back the CRLF it encoded.
fn lf_only(text: &str) -> String {
    if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_owned() }
}

/// Turns CRLF and bare CR into LF, so every later step handles one line end.
pub fn normalize_line_ends(raw: &[u8]) -> Vec<u8> {
    if !raw.contains(&b'\r') {
        return raw.to_vec();
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if b == b'\r' {
            if bytes.peek() == Some(&b'\n') {
                bytes.next();
            }
            out.push(b'\n');
        } else {
            out.push(b);
        }
    }
    out
}

/// Decodes bytes of unknown charset: UTF-8 when valid, else the Japanese encodings that mail
/// without a declared charset most often uses, else Latin-1-ish replacement.
pub fn decode_unknown_charset(bytes: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(bytes) {
        if text.contains("\u{1b}$B") || text.contains("\u{1b}$@") {
            return charset::decode("iso-2022-jp", bytes, Mode::Sniff).unwrap_or_else(|| text.to_owned());
        }
        return text.to_owned();
    }
    for encoding in ["shift_jis", "euc-jp"] {
        if let Some(text) = charset::decode(encoding, bytes, Mode::Strict) {
            return text;
        }
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// The text of a part in a charset that mail-parser leaves to `encoding_rs` (see
/// [`charset::mail_parser_lossy`]), decoded through [`charset`] from the part's own bytes: the
/// page's build of mail-parser reads such parts as UTF-8.
fn legacy_charset_text(message: &Message<'_>, part: &MessagePart<'_>) -> Option<String> {
    let label = part.headers.iter().find(|h| h.name().eq_ignore_ascii_case("content-type")).and_then(|h| match h.value() {
        HeaderValue::ContentType(ct) => ct.attribute("charset"),
        _ => None,
    })?;
    let encoding = charset::mail_parser_lossy(label)?;
    let raw = message.raw_message();
    let start = (part.offset_body as usize).min(raw.len());
    let end = (part.offset_end as usize).clamp(start, raw.len());
    let mut stream = mail_parser::parsers::MessageStream::new(&raw[start..end]);
    let bytes = match part.encoding {
        mail_parser::Encoding::Base64 => stream.decode_base64_mime(b"").1,
        mail_parser::Encoding::QuotedPrintable => stream.decode_quoted_printable_mime(b"").1,
        mail_parser::Encoding::None => stream.mime_part(b"").1,
    };
    charset::decode(encoding, &bytes, Mode::Sniff)
}

/// Header names that only a real message starts with; a pasted fragment such as
/// `said: 450 ...` parses as a header too, and must not count.
const MESSAGE_HEADERS: &[&str] = &[
    "return-path", "received", "from", "to", "date", "subject", "message-id", "mime-version",
    "content-type", "delivered-to", "x-original-to", "reply-to", "sender", "auto-submitted",
    "x-apparently-to", "x-failed-recipients",
];

/// mail-parser's own choice of parser per header, except that `Received:` fields are only
/// skipped over: their structured form is never used (the raw text is, see [`header_list`]),
/// and parsing it was a large part of reading a message.
fn parser() -> &'static MessageParser {
    static PARSER: std::sync::OnceLock<MessageParser> = std::sync::OnceLock::new();
    PARSER.get_or_init(|| {
        use HeaderName::*;
        let mut parser = MessageParser::new().default_header_raw().ignore_header(Received);
        for name in [Subject, Comments, ContentDescription, ContentLocation, ContentTransferEncoding] {
            parser = parser.header_text(name);
        }
        for name in [
            From, To, Cc, Bcc, ReplyTo, Sender, ResentTo, ResentFrom, ResentBcc, ResentCc, ResentSender, ListArchive, ListHelp,
            ListId, ListOwner, ListPost, ListSubscribe, ListUnsubscribe,
        ] {
            parser = parser.header_address(name);
        }
        for name in [Date, ResentDate] {
            parser = parser.header_date(name);
        }
        for name in [MessageId, References, InReplyTo, ReturnPath, ContentId, ResentMessageId] {
            parser = parser.header_id(name);
        }
        for name in [Keywords, ContentLanguage] {
            parser = parser.header_comma_separated(name);
        }
        for name in [ContentType, ContentDisposition] {
            parser = parser.header_content_type(name);
        }
        parser
    })
}

/// Reads raw input into a [`Mail`].
pub fn read(raw: &[u8]) -> Mail {
    let mail = read_one(raw);
    // A notice that quotes the returned message (`> Received: ...`, "The first 50 lines of your
    // original message follow:> ...") is the notice: only a person's forward is unwrapped.
    if is_from_a_mail_system(&mail) {
        return mail;
    }
    // A bounce forwarded as a quotation is read as the bounce itself (one level only, so a
    // deeply quoted input is not copied once per level).
    match quoted_message(&mail.body).map(|inner| read_one(inner.as_bytes())) {
        Some(inner) if !inner.is_fragment => Mail { notes: mail.notes, ..inner },
        _ => mail,
    }
}

/// A message a mail system wrote: sent with the null reverse-path that RFC 5321 §4.5.5 asks of
/// notifications, or from the mailbox names RFC 2142 gives mail services.
pub(crate) fn is_from_a_mail_system(mail: &Mail) -> bool {
    mail.header("return-path").is_some_and(|path| path.trim() == "<>") || mail.from_mail_service()
}

/// A bounce forwarded as a quotation (`> From: Mail Delivery Subsystem ...`): the quoted lines
/// from its first header on, one level of `>` removed.
fn quoted_message(body: &str) -> Option<String> {
    fn unquote(line: &str) -> Option<&str> {
        line.strip_prefix('>').map(|rest| rest.strip_prefix(' ').unwrap_or(rest))
    }
    let starts_a_message = |line: &&str| {
        unquote(line).and_then(|inner| inner.split_once(':')).is_some_and(|(name, _)| MESSAGE_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
    };
    let quoted: Vec<&str> = body.lines().skip_while(|line| !starts_a_message(line)).map_while(unquote).collect();
    const FEWEST_LINES: usize = 5;
    (quoted.len() >= FEWEST_LINES).then(|| quoted.join("\n"))
}

fn read_one(raw: &[u8]) -> Mail {
    let mut notes = Vec::new();
    let raw = if raw.len() > MAX_INPUT_BYTES {
        notes.push(Note::TooLarge);
        &raw[..MAX_INPUT_BYTES]
    } else {
        raw
    };
    if crate::msg::is_msg(raw) {
        // An Outlook .msg: read as the message it holds, with a note when part of it could not be.
        let converted = crate::msg::to_mime(raw);
        notes.extend(converted.problem.map(|problem| match problem {
            crate::msg::Problem::Damaged => Note::MsgDamaged,
            crate::msg::Problem::NotMail => Note::MsgNotMail,
        }));
        let mut mail = converted.mime.map(|mime| read_one(&mime)).unwrap_or_default();
        mail.notes.splice(0..0, notes);
        return mail;
    }
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        notes.push(Note::Empty);
        return Mail { notes, ..Mail::default() };
    }
    if let Some(note) = binary_kind(raw) {
        notes.push(note);
        return Mail { notes, ..Mail::default() };
    }
    let text = normalize_line_ends(raw);
    let text = strip_mbox_from_line(skip_blank_lines(&text));
    let mut mail = match parser().parse(text) {
        Some(message) if looks_like_message(&message) => {
            let mut mail = from_message(&message);
            if is_cut_short(&message, text) {
                mail.notes.push(Note::Truncated);
            }
            mail
        }
        _ => Mail {
            body: unquote_paste(decode_unknown_charset(text)),
            is_fragment: true,
            notes: vec![Note::NoHeaders],
            ..Mail::default()
        },
    };
    mail.notes.splice(0..0, notes);
    mail.lower_body = mail.body.to_ascii_lowercase();
    mail.notice_end = notice_end(&mail.lower_body);
    mail
}

/// Lines after which the returned original message starts; nothing below is the notice.
const RETURNED_MARKERS: &[&str] = &[
    "----- original message",
    "------ this is a copy of the message",
    "--- below this line is a copy of the message",
    "content-type: message/rfc822",
    // "original message follows"; "The first 50 lines of your original message follow:".
    "original message follow",
    "returned mail follows",
    "----- unsent message follows",
    "----- message header follows",
    "--- the header of the original message",
    "-------original message",
    // Lotus Notes: `------- Returned Message --------`.
    "-- returned message --",
];

fn returned_markers() -> &'static regex::bytes::Regex {
    static MARKERS: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    MARKERS.get_or_init(|| {
        let alternatives: Vec<String> = RETURNED_MARKERS.iter().map(|m| regex::escape(m)).collect();
        crate::pattern::compile(&alternatives.join("|"))
    })
}

/// The reader's parser and patterns, built ahead of a first message (see [`crate::prepare`]).
pub fn prepare() {
    parser();
    returned_markers();
}

/// Where the notice ends in a lowercased body: the first marker of a returned message, found in
/// one pass.
pub fn notice_end(lower_body: &str) -> usize {
    let marked = returned_markers().find(lower_body.as_bytes()).map_or(lower_body.len(), |m| m.start());
    // No marker, but the returned message's own header block begins: a `Received:` field at the
    // start of a line is never a notice's words.
    let header_block = lower_body.find("\nreceived: from ").map_or(lower_body.len(), |at| at + 1);
    marked.min(header_block)
}

/// A multipart message whose closing boundary never comes was cut short (a paste or a download
/// that stopped): what was read is still used, and the report says so.
fn is_cut_short(message: &Message<'_>, text: &[u8]) -> bool {
    let root = message.root_part();
    let boundary = root.headers.iter().find(|h| h.name().eq_ignore_ascii_case("content-type")).and_then(|h| match h.value() {
        HeaderValue::ContentType(ct) if ct.ctype().eq_ignore_ascii_case("multipart") => ct.attribute("boundary").map(str::to_owned),
        _ => None,
    });
    let Some(boundary) = boundary else { return false };
    let closing = format!("--{boundary}--");
    // From the end: a complete message closes there, so the search stops at once.
    !text.windows(closing.len()).rev().any(|w| w[0] == b'-' && w == closing.as_bytes())
}

/// Recognises inputs that are files of another kind, so they get a clear answer.
fn binary_kind(raw: &[u8]) -> Option<Note> {
    let head = &raw[..raw.len().min(4096)];
    let controls = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x1b | 0x0c)))
        .count();
    // Binary formats show NUL bytes in their first header; a lone NUL late in a text message
    // is a transport artefact.
    let early_nul = head[..head.len().min(512)].contains(&0);
    let nuls = head.iter().filter(|&&b| b == 0).count();
    (early_nul || nuls * 100 > head.len() || controls * 10 > head.len()).then_some(Note::Binary)
}

/// Whitespace-only lines before the first header (a download or a paste that starts with an
/// empty line) would end the header block before it begins.
fn skip_blank_lines(text: &[u8]) -> &[u8] {
    let mut rest = text;
    while let Some(end) = rest.iter().position(|&b| b == b'\n') {
        if !rest[..end].iter().all(u8::is_ascii_whitespace) {
            break;
        }
        rest = &rest[end + 1..];
    }
    rest
}

/// Pasted text quoted in a reply (`> 550 5.1.1 ...`, `> > ...`): the quoted lines lose one
/// level of `>`, so the server's words are read as written. A Sendmail transcript's `>>> RCPT`
/// lines are no quotation: a paste holding one is left as it is.
fn unquote_paste(text: String) -> String {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let any_quoted = text.lines().any(|line| unquote_line(line).is_some());
    if !any_quoted || lines.any(|l| l.trim_start().starts_with(">>>")) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(unquote_line(line).unwrap_or(line));
        out.push('\n');
    }
    out
}

/// A quoted line without its quote marks, every level of them: `> text`, `>> text` (Thunderbird
/// and others quote a quotation so), `> > text`, `>text`, or a bare `>`; one space after the
/// last mark goes with it, deeper indentation stays (RFC 3676 §4.5: the quote depth is the
/// number of `>` a line starts with, and the space after them is optional stuffing). `None` when
/// the line is not quoted.
pub fn unquote_line(line: &str) -> Option<&str> {
    let mut rest = line.strip_prefix('>')?;
    loop {
        rest = match rest.strip_prefix('>') {
            Some(deeper) => deeper,
            None => match rest.strip_prefix(" >") {
                Some(deeper) => deeper,
                None => break,
            },
        };
    }
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// A letter that quotes a notice (`> <rcpt>: host ... said: 550 ...`): a person forwarding a
/// bounce as a quotation, with the forward's header lines in the mail client's own language, or
/// none. The quoted lines, their quote marks removed, are read as pasted text. Mail systems'
/// own notices quote the returned message, not a notice: they are not unwrapped.
pub fn quoted_notice(mail: &Mail) -> Option<Mail> {
    if is_from_a_mail_system(mail) {
        return None;
    }
    unquoted(mail)
}

/// Whether `recipient` stands in the notice on a quoted line: a reading that found it there
/// read a quotation, whose continuation lines are quoted too. A Sendmail transcript's
/// `>>> RCPT TO:<rcpt>` is the notice's own line, not a quotation (as in [`unquote_paste`]).
pub fn quotes(mail: &Mail, recipient: &str) -> bool {
    mail.body[..mail.notice_end].lines().any(|line| !line.trim_start().starts_with(">>>") && unquote_line(line).is_some_and(|inner| crate::pattern::find_ignore_case(inner, recipient).is_some()))
}

/// The quoted lines of a letter, every level of quote marks removed, as pasted text: what the
/// decoders read when the quotation is pasted alone. `None` for pasted text (already unquoted)
/// and for fewer than two quoted lines.
pub fn unquoted(mail: &Mail) -> Option<Mail> {
    if mail.is_fragment {
        return None;
    }
    let quoted: Vec<&str> = mail.body.lines().filter_map(unquote_line).collect();
    const FEWEST_LINES: usize = 2;
    if quoted.iter().filter(|l| !l.trim().is_empty()).count() < FEWEST_LINES {
        return None;
    }
    let body = quoted.join("\n");
    let lower_body = body.to_ascii_lowercase();
    let notice_end = notice_end(&lower_body);
    Some(Mail { body, lower_body, notice_end, is_fragment: true, notes: mail.notes.clone(), ..Mail::default() })
}

fn strip_mbox_from_line(text: &[u8]) -> &[u8] {
    if text.starts_with(b"From ")
        && let Some(end) = text.iter().position(|&b| b == b'\n')
    {
        return &text[end + 1..];
    }
    text
}

fn looks_like_message(message: &Message<'_>) -> bool {
    message
        .root_part()
        .headers
        .iter()
        .any(|h| MESSAGE_HEADERS.contains(&h.name().to_ascii_lowercase().as_str()))
}

fn from_message(message: &Message<'_>) -> Mail {
    let root = message.root_part();
    let mut mail = Mail { headers: header_list(message, root), ..Mail::default() };
    let mut body = Vec::new();
    let mut walk = Walk { visited: vec![false; message.parts.len()], mail: &mut mail, body: &mut body };
    walk.collect(message, 0, 0);
    mail.body = body.join("\n");
    if mail.body.is_empty() && mail.status.is_empty() {
        // A part with a broken structure: fall back to the raw text after the header block.
        let raw = message.raw_message();
        let start = (root.offset_body as usize).min(raw.len());
        mail.body = decode_unknown_charset(&raw[start..]);
    }
    mail
}

fn header_list(message: &Message<'_>, part: &MessagePart<'_>) -> Vec<(String, String)> {
    let raw = message.raw_message();
    part.headers
        .iter()
        .map(|h| {
            let name = h.name().to_ascii_lowercase();
            let value = match h.value() {
                // An ISO-2022-JP encoded word, which the page's mail-parser leaves undecoded.
                HeaderValue::Text(t) if t.contains('\u{1b}') => charset::decode("iso-2022-jp", t.as_bytes(), Mode::Sniff).unwrap_or_else(|| t.to_string()),
                HeaderValue::Text(t) => t.to_string(),
                HeaderValue::TextList(list) => list.join(", "),
                _ => {
                    let start = (h.offset_start() as usize).min(raw.len());
                    let end = (h.offset_end() as usize).clamp(start, raw.len());
                    unfold(&decode_unknown_charset(&raw[start..end]))
                }
            };
            (name, value)
        })
        .collect()
}

fn unfold(value: &str) -> String {
    value.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

fn content_type(part: &MessagePart<'_>) -> (String, String) {
    match part.headers.iter().find(|h| h.name().eq_ignore_ascii_case("content-type")).map(|h| h.value()) {
        Some(HeaderValue::ContentType(ct)) => (
            ct.ctype().to_ascii_lowercase(),
            ct.subtype().unwrap_or("").to_ascii_lowercase(),
        ),
        _ => (String::new(), String::new()),
    }
}

/// Walks the MIME tree of the notice. Text parts feed `body`; status and feedback parts are kept
/// apart; the returned message contributes only its header block.
struct Walk<'m> {
    visited: Vec<bool>,
    mail: &'m mut Mail,
    body: &'m mut Vec<String>,
}

impl Walk<'_> {
    fn collect(&mut self, message: &Message<'_>, part_id: u32, depth: usize) {
        // A hostile message can make a multipart list a part that is already an ancestor or a
        // sibling's child: each part is visited once, so the walk stays linear.
        let seen = self.visited.get_mut(part_id as usize).map(|v| std::mem::replace(v, true));
        if depth > MAX_MIME_DEPTH || seen != Some(false) {
            return;
        }
        let (mail, body) = (&mut *self.mail, &mut *self.body);
        let Some(part) = message.part(part_id) else { return };
        let (ctype, subtype) = content_type(part);
        match &part.body {
            PartType::Multipart(children) => {
                for &child in children {
                    self.collect(message, child, depth + 1);
                }
            }
            PartType::Message(inner) => {
                if mail.returned_headers.is_none() {
                    let raw = inner.raw_message();
                    let end = (inner.root_part().offset_body as usize).min(raw.len());
                    mail.returned_headers = Some(decode_unknown_charset(&raw[..end]));
                }
            }
            PartType::Text(text) | PartType::Html(text) => {
                let is_html = matches!(part.body, PartType::Html(_));
                let legacy = if cfg!(target_arch = "wasm32") { legacy_charset_text(message, part) } else { None };
                let text = legacy.as_deref().unwrap_or(text);
                let relabelled = misdeclared_charset(message, part, text);
                let text = relabelled.as_deref().map_or(text.as_ref(), |t| t);
                match (ctype.as_str(), subtype.as_str()) {
                    ("message", s) if s.contains("delivery-status") => mail.status.push(lf_only(text)),
                    ("message", "feedback-report") => mail.feedback = Some(lf_only(text)),
                    ("text", "rfc822-headers") | ("message", "rfc822-headers") => {
                        mail.returned_headers.get_or_insert_with(|| lf_only(text));
                    }
                    _ if is_html => body.push(html_to_text(&lf_only(text))),
                    _ => body.push(lf_only(text)),
                }
            }
            PartType::Binary(bytes) | PartType::InlineBinary(bytes) => {
                let text = lf_only(&decode_unknown_charset(bytes));
                match (ctype.as_str(), subtype.as_str()) {
                    ("message", s) if s.contains("delivery-status") => mail.status.push(text),
                    ("message", "feedback-report") => mail.feedback = Some(text),
                    ("text", "rfc822-headers") | ("message", "rfc822-headers") | ("message", "rfc822") => {
                        mail.returned_headers.get_or_insert(text);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A part whose declared charset does not fit its bytes: Japanese notices often label EUC-JP or
/// Shift_JIS text `ISO-2022-JP` (a 7-bit charset), and the decoder then leaves replacement
/// characters. The raw bytes of an unencoded part are read again without the label.
fn misdeclared_charset(message: &Message<'_>, part: &MessagePart<'_>, decoded: &str) -> Option<String> {
    if !decoded.contains('\u{FFFD}') || part.encoding != mail_parser::Encoding::None {
        return None;
    }
    let raw = message.raw_message();
    let start = (part.offset_body as usize).min(raw.len());
    let end = (part.offset_end as usize).clamp(start, raw.len());
    let bytes = &raw[start..end];
    if bytes.is_ascii() {
        return None;
    }
    let again = decode_unknown_charset(bytes);
    (!again.contains('\u{FFFD}')).then_some(again)
}

/// Reduces HTML to its text: tags dropped, common entities decoded, laid out in lines as a
/// browser lays it out. The result is only ever searched and shown as text.
/// A link's `mailto:` address is kept as text after the link's words when they do not show it:
/// Exchange's HTML-only notices name the recipient as `<a href="mailto:addr">Display Name</a>`
/// (seen in Exchange 2007 and Office 365 notices of the sisimai set, whose text parts render the
/// same link as `Name<mailto:addr>`).
pub fn html_to_text(html: &str) -> String {
    let (text, laid_out) = reduce_html(html, true);
    // No element that breaks a line: plain text labelled HTML, whose own line ends are its layout.
    let text = if laid_out { text } else { reduce_html(html, false).0 };
    text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// The line ends an element puts around itself in a browser's default rendering (HTML Standard
/// §15.3: block-level elements start and end a line; paragraphs, headings, lists and tables also
/// have margins, here a blank line); 0 for an element inside a line.
fn element_break(name: &str) -> usize {
    const LINE: &str = " br div tr li dt dd title address center caption form ";
    const PARAGRAPH: &str = " p h1 h2 h3 h4 h5 h6 table ul ol dl blockquote pre hr ";
    let name = format!(" {name} ");
    if LINE.contains(&name) { 1 } else if PARAGRAPH.contains(&name) { 2 } else { 0 }
}

/// The text of `html` and whether any element broke a line. With `collapse`, white space in the
/// source (line ends included) is one space, as CSS `white-space: normal` renders it (CSS Text 3
/// §4.1), except inside <pre>; lines come from the elements.
fn reduce_html(html: &str, collapse: bool) -> (String, bool) {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut laid_out = false;
    let mut pre = false;
    // White space seen since the last word, written as one space before the next.
    let mut space = false;
    // The open link's address and where its words begin in `out`.
    let mut link: Option<(&str, usize)> = None;
    loop {
        let open = rest.find('<').unwrap_or(rest.len());
        for c in rest[..open].chars() {
            if collapse && !pre && c.is_ascii_whitespace() {
                space = true;
                continue;
            }
            if space && !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
        let after = &rest[open..];
        if after.is_empty() {
            return (out, laid_out);
        }
        // A comment is no text, whatever it holds (Office's conditional comments hold markup).
        if after.starts_with("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let close = after.find('>').map_or(after.len(), |i| i + 1);
        let tag = after[..close].to_ascii_lowercase();
        let closing = tag.starts_with("</");
        let name = &tag[1 + closing as usize..];
        let name = &name[..name.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(name.len())];
        let lines = element_break(name);
        if lines > 0 {
            laid_out = true;
            space = false;
            pre ^= name == "pre";
            // As many line ends as the element asks for, counting those already there (a <br>
            // always adds one); none at the very start.
            let mut have = out.len() - out.trim_end_matches('\n').len();
            if name == "br" {
                have = 0;
            }
            for _ in have..lines.min(usize::from(!out.is_empty()) * 2) {
                out.push('\n');
            }
        } else if (name == "td" || name == "th") && !closing {
            // A cell after another on its line is a tab apart, as a browser's innerText writes a
            // row (HTML Standard, "rendered text collection steps": a TAB after every cell but a
            // row's last): a row's label cell (`<th>宛先</th><td>addr</td>`) stays told from its
            // value, as a colon tells them in text.
            space = false;
            if !out.is_empty() && !out.ends_with(['\n', '\t']) {
                out.push('\t');
            }
        } else if name == "a" && !closing {
            link = mailto(&after[..close]).map(|address| (address, out.len()));
        } else if name == "a"
            && let Some((address, start)) = link.take()
            && crate::pattern::find_ignore_case(&out[start..], address).is_none()
        {
            out.push_str(" <");
            out.push_str(address);
            out.push('>');
        }
        rest = &after[close..];
        // A script or a style sheet is not words of the notice (HTML's raw text elements).
        if !closing && (name == "script" || name == "style") {
            let end = crate::pattern::find_ignore_case(rest, if name == "style" { "</style" } else { "</script" }).unwrap_or(rest.len());
            rest = &rest[end..];
        }
    }
}

/// The address of an `<a href="mailto:addr?...">` tag.
fn mailto(tag: &str) -> Option<&str> {
    let at = crate::pattern::find_ignore_case(tag, "mailto:")? + "mailto:".len();
    let address = tag[at..].split(['"', '\'', '?', '>', ' ']).next()?;
    address.contains('@').then_some(address)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn quote_marks_of_every_level_come_off() {
        assert_eq!(super::unquote_line("> text"), Some("text"));
        assert_eq!(super::unquote_line(">>     552 5.3.4 too big"), Some("    552 5.3.4 too big"));
        assert_eq!(super::unquote_line("> > text"), Some("text"));
        assert_eq!(super::unquote_line(">"), Some(""));
        assert_eq!(super::unquote_line(">no space"), Some("no space"));
        assert_eq!(super::unquote_line(">>    said: 550"), Some("   said: 550"));
        assert_eq!(super::unquote_line("text > here"), None);
    }

    use super::*;

    #[test]
    fn a_bounce_forwarded_as_a_quotation_is_read_as_the_bounce() {
        let raw = b"From: me@a.example\nSubject: Fwd: Returned mail\n\nBegin forwarded message:\n\n> From: Mail Delivery Subsystem <MAILER-DAEMON@a.example>\n> Subject: Returned mail: see transcript for details\n>\n>    ----- The following addresses had permanent fatal errors -----\n> <neko@b.example>\n>     (reason: 550 5.1.1 User unknown)\n";
        let mail = read(raw);
        assert!(!mail.is_fragment);
        assert_eq!(mail.subject(), "Returned mail: see transcript for details");
        assert!(mail.body.starts_with("   ----- The following addresses"));
        // A reply that quotes a few lines of an ordinary mail stays the reply.
        let reply = read(b"From: a@b.example\nSubject: Re: lunch\n\nSure.\n\n> From: c@d.example\n> noon?\n");
        assert_eq!(reply.subject(), "Re: lunch");
    }

    #[test]
    fn euc_jp_text_labelled_iso_2022_jp_is_read_all_the_same() {
        let (body, _, _) = encoding_rs::EUC_JP.encode("送信先メールアドレスが見つかりませんでした。");
        let mut raw = b"From: postmaster@ezweb.example\nSubject: Mail System Error\nContent-Type: text/plain; charset=\"ISO-2022-JP\"\nContent-Transfer-Encoding: 7bit\n\n".to_vec();
        raw.extend_from_slice(&body);
        raw.extend_from_slice(b"\n<neko@ezweb.example>\n");
        let mail = read(&raw);
        assert!(mail.body.contains("送信先メールアドレスが見つかりませんでした。"), "{}", mail.body);
    }

    #[test]
    fn the_notice_ends_where_the_returned_message_starts() {
        let body = "------- failure reasons  --------\nnot in the directory\nneko@example.jp\n\n------- returned message --------\nreceived: from relay.example\n";
        assert_eq!(&body[..notice_end(body)], "------- failure reasons  --------\nnot in the directory\nneko@example.jp\n\n-----");
        assert_eq!(notice_end("no marker at all"), 16);
        let unmarked = "each of the following recipients was rejected.\n-----\nreceived: from relay.example\n  by mx\n";
        assert_eq!(&unmarked[..notice_end(unmarked)], "each of the following recipients was rejected.\n-----\n");
    }

    #[test]
    fn line_ends_become_lf() {
        assert_eq!(normalize_line_ends(b"a\r\nb\rc\n"), b"a\nb\nc\n");
    }

    #[test]
    fn pasted_reply_is_a_fragment_even_though_it_parses_as_a_header() {
        let mail = read(b"said: 450 4.7.1 Service temporarily unavailable\n");
        assert!(mail.is_fragment);
        assert!(mail.body.starts_with("said: 450"));
        assert_eq!(mail.notes, vec![Note::NoHeaders]);
    }

    #[test]
    fn empty_binary_and_msg_inputs_are_noted() {
        assert_eq!(read(b"  \n").notes, vec![Note::Empty]);
        assert_eq!(read(&[0x89, b'P', b'N', b'G', 0, 0, 0, 13]).notes, vec![Note::Binary]);
        let mut text_with_stray_nul = b"From: MAILER-DAEMON@a.example\nSubject: Delivery failure\n\n".to_vec();
        text_with_stray_nul.extend(std::iter::repeat_n(b"<a@example.jp>: over quota\n".as_slice(), 30).flatten());
        text_with_stray_nul.extend(b"\0\n");
        assert!(!read(&text_with_stray_nul).notes.contains(&Note::Binary));
        assert_eq!(read(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]).notes, vec![Note::MsgDamaged]);
    }

    #[test]
    fn iso_2022_jp_without_headers_is_decoded() {
        let (bytes, _, _) = encoding_rs::ISO_2022_JP.encode("配信できませんでした");
        assert_eq!(read(&bytes).body, "配信できませんでした");
    }

    #[test]
    fn multipart_report_parts_are_separated() {
        let raw = b"From: MAILER-DAEMON@example.org\r\nSubject: Undelivered\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nHuman text\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; a.example\r\n\r\nFinal-Recipient: rfc822; x@example.com\r\nAction: failed\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nReceived: from pc [192.0.2.1]\r\nSubject: hi\r\n--b--\r\n";
        let mail = read(raw);
        assert!(!mail.is_fragment);
        assert_eq!(mail.subject(), "Undelivered");
        assert_eq!(mail.body.trim(), "Human text");
        assert_eq!(mail.status.len(), 1);
        assert!(mail.status[0].contains("Action: failed"));
        assert!(mail.returned_headers.as_deref().unwrap().contains("192.0.2.1"));
        assert_eq!(mail.readable_text(), "Human text\n\nReporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; x@example.com\nAction: failed");
    }

    #[test]
    fn a_report_cut_before_its_closing_boundary_is_noted() {
        let raw = b"From: MAILER-DAEMON@example.org\nSubject: Undelivered\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nHuman text\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; x@example.com\nAction: fai";
        let mail = read(raw);
        assert!(mail.notes.contains(&Note::Truncated));
        assert_eq!(mail.status.len(), 1);
        let whole = b"From: a@example.org\nSubject: s\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nx\n--b--\n";
        assert!(!read(whole).notes.contains(&Note::Truncated));
    }

    #[test]
    fn the_readable_text_has_lf_line_ends_inside_encoded_parts_too() {
        // "a\r\nb\r\n" in base64: the transfer encoding kept the CRLF from line-end normalising.
        let raw = b"From: MAILER-DAEMON@example.org\nSubject: s\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nYQ0KYg0K\n";
        assert_eq!(read(raw).readable_text(), "a\nb");
    }

    #[test]
    fn html_scripts_and_styles_are_not_text() {
        let html = "<html><head><STYLE type=\"text/css\">p { color: red }</style><script>var x = '<b>';</SCRIPT></head><body><p>550 User unknown</p><scripts>kept</scripts></body></html>";
        assert_eq!(html_to_text(html).trim(), "550 User unknown\n\nkept");
    }

    #[test]
    fn html_is_reduced_to_text() {
        assert_eq!(html_to_text("<p>a &amp; b</p><b>x</b>"), "a & b\n\nx");
    }

    #[test]
    fn html_is_laid_out_by_its_elements_not_its_source_lines() {
        let html = "<html><body>\n<p>Delivery has failed to these recipients:<br>\n<a href=\"mailto:neko@b.example\">Neko</a></p>\n<p>The address\n   could not be   found.</p>\n<!-- a <p>comment</p> -->\n<table><tr><td>Remote server:</td><td>550 5.1.1</td></tr></table><pre>kept\n  as is</pre></body></html>";
        assert_eq!(html_to_text(html), "Delivery has failed to these recipients:\nNeko <neko@b.example>\n\nThe address could not be found.\n\nRemote server:\t550 5.1.1\n\nkept\n  as is\n\n");
        // Text in an HTML label without one element that breaks a line keeps its own lines.
        assert_eq!(html_to_text("550 5.1.1 <b>User unknown</b>\nneko@b.example\n"), "550 5.1.1 User unknown\nneko@b.example\n");
    }

    /// The page's path for legacy charsets gives what mail-parser's `full_encoding` gives,
    /// for each transfer encoding.
    #[test]
    fn legacy_charset_parts_decode_as_mail_parser_does() {
        // Shift_JIS text ("...のメールアドレスが見つかりません。") in base64.
        let b64 = "gamQ5oLMg4GBW4OLg0GDaIOMg1iCqoypgsKCqYLogtyCuYLxgUIK";
        let euc_qp = "=B0=B8=C0=E8=C9=D4=CC=C0\n";
        let raw = format!(
            "From: a@b.example\nSubject: x\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: base64\n\n{b64}\n--b\nContent-Type: text/plain; charset=euc-jp\nContent-Transfer-Encoding: quoted-printable\n\n{euc_qp}\n--b\nContent-Type: text/plain; charset=iso-2022-jp\n\n\u{1b}$B08@hITL@\u{1b}(B\n--b--\n"
        );
        let message = parser().parse(raw.as_bytes()).expect("parses");
        let mut seen = 0;
        for part in &message.parts {
            if let PartType::Text(text) = &part.body {
                assert_eq!(legacy_charset_text(&message, part).as_deref(), Some(text.as_ref()));
                seen += 1;
            }
        }
        assert_eq!(seen, 3);
    }

    #[test]
    fn blank_lines_before_the_headers_do_not_hide_them() {
        let mail = read(b"   \n\nFrom: Mail Delivery Subsystem <mailer-daemon@a.example>\nSubject: Delivery Status Notification (Failure)\n\nDelivery to the following recipient failed permanently:\n");
        assert!(!mail.is_fragment);
        assert_eq!(mail.subject(), "Delivery Status Notification (Failure)");
    }

    #[test]
    fn a_notice_quoting_the_returned_message_stays_the_notice() {
        let raw = b"From: postmaster@b.example\nSubject: Mail Delivery Failure\n\nDelivery of email to this address\n\n\"neko@b.example\"\n\nhas failed due to a full mailbox.\n\nThe first 50 lines of your original message follow:\n> Received: from mx.a.example\n>   by mx.b.example\n> From: Tama <tama@a.example>\n> To: neko@b.example\n> Subject: hello\n>\n> hi\n";
        let mail = read(raw);
        assert_eq!(mail.subject(), "Mail Delivery Failure");
        assert!(mail.body[..mail.notice_end].contains("full mailbox"));
        assert!(!mail.body[..mail.notice_end].contains("Subject: hello"));
    }

    #[test]
    fn a_paste_quoted_in_a_reply_loses_one_level_of_quoting() {
        let mail = read(b"My server says:\n> <neko@b.example>: host mx.b.example[198.51.100.7] said: 550 5.1.1\n> User unknown (in reply to RCPT TO command)\n");
        assert!(mail.is_fragment);
        assert!(mail.body.contains("\nUser unknown (in reply to RCPT TO command)\n"), "{}", mail.body);
        // A Sendmail transcript's arrows are no quotation.
        let transcript = read(b">>> RCPT To:<neko@b.example>\n<<< 550 5.1.1 User unknown\n> x\n");
        assert!(transcript.body.starts_with(">>> RCPT"));
    }

    #[test]
    fn a_mailto_link_keeps_its_address_as_text() {
        assert_eq!(html_to_text("<p><a href=\"mailto:neko@b.example\">Neko Tama</a><br>"), "Neko Tama <neko@b.example>\n");
        assert_eq!(html_to_text("<a href='MAILTO:neko@b.example?subject=x'>neko@b.example</a>"), "neko@b.example");
    }
}
