//! Outlook `.msg` files ([MS-OXMSG]): an OLE compound file (read by the `cfb` crate) holding a
//! message's MAPI properties. The reader turns one into the RFC 5322 message it was received as
//! (transport headers, bodies, the report parts among its attachments, embedded messages), so
//! the rest of the pipeline reads it exactly like an `.eml`.

mod mime;
pub mod props;
pub mod rtf;

use std::io::{Cursor, Read};

use props::{Fixed, Level, PR_INTERNET_CPID};

/// The compound file signature ([MS-CFB] §2.2).
pub const SIGNATURE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Embedded messages deeper than this are not followed.
const MAX_DEPTH: usize = 8;
/// Recipients and attachments read per message, and entries listed per storage: far above any
/// real message, and a bound on the work a hostile directory can ask for.
const MAX_OBJECTS: usize = 256;
const MAX_ENTRIES: usize = 4096;

pub fn is_msg(raw: &[u8]) -> bool {
    raw.starts_with(SIGNATURE)
}

/// Why a compound file did not give (all of) a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Cut short or damaged: its structure or a stream could not be read.
    Damaged,
    /// A compound file, but not a message (a Word or Excel document, say).
    NotMail,
}

/// The message a `.msg` file held, as RFC 5322 text, and what stood in the way.
#[derive(Debug)]
pub struct Converted {
    pub mime: Option<Vec<u8>>,
    pub problem: Option<Problem>,
}

/// Reads a `.msg` file. What could be read is kept even when part of the file is damaged.
pub fn to_mime(raw: &[u8]) -> Converted {
    let Ok(file) = cfb::CompoundFile::open(Cursor::new(raw)) else {
        return Converted { mime: None, problem: Some(Problem::Damaged) };
    };
    // However the sectors are chained, no more than a few times the file is ever read.
    let mut store = Store { file, budget: (raw.len() as u64).saturating_mul(4).saturating_add(1 << 20), damaged: false };
    // A compound file is a header and whole sectors ([MS-CFB] §2.2, the sector size from the
    // header's sector shift at 0x1E); anything else was cut short or padded.
    let sector = match raw.get(0x1e..0x20) {
        Some([12, 0]) => 4096,
        _ => 512,
    };
    store.damaged = !raw.len().is_multiple_of(sector);
    let root = store.children("");
    let is_message = root.iter().any(|(name, _)| name == "__properties_version1.0" || name.starts_with("__substg1.0_"));
    if !is_message {
        return Converted { mime: None, problem: Some(if store.damaged { Problem::Damaged } else { Problem::NotMail }) };
    }
    let message = store.message("", Level::TopMessage, "windows-1252", 0);
    Converted { mime: Some(mime::write(&message, 0)), problem: store.damaged.then_some(Problem::Damaged) }
}

/// One message's content, decoded.
#[derive(Debug, Default)]
pub struct Message {
    pub class: Option<String>,
    pub subject: Option<String>,
    /// PR_TRANSPORT_MESSAGE_HEADERS (007D): the header block it was received with.
    pub transport_headers: Option<String>,
    pub from: Option<Address>,
    pub recipients: Vec<(RecipientType, Address)>,
    pub date: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Default, Clone)]
pub struct Address {
    pub name: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecipientType {
    To,
    Cc,
    Bcc,
}

#[derive(Debug)]
pub enum Attachment {
    /// An attachment by value that a report is made of (a delivery-status part, returned headers,
    /// an `.eml`, a text).
    Part { content_type: String, name: Option<String>, data: Vec<u8> },
    /// An embedded message (3701000D).
    Message(Box<Message>),
}

// Property ids ([MS-OXPROPS]).
const PR_MESSAGE_CLASS: u16 = 0x001a;
const PR_SUBJECT: u16 = 0x0037;
const PR_CLIENT_SUBMIT_TIME: u16 = 0x0039;
const PR_SENT_REPRESENTING_NAME: u16 = 0x0042;
const PR_SENT_REPRESENTING_EMAIL: u16 = 0x0065;
const PR_TRANSPORT_MESSAGE_HEADERS: u16 = 0x007d;
const PR_SENDER_NAME: u16 = 0x0c1a;
const PR_SENDER_EMAIL: u16 = 0x0c1f;
const PR_RECIPIENT_TYPE: u16 = 0x0c15;
const PR_MESSAGE_DELIVERY_TIME: u16 = 0x0e06;
const PR_BODY: u16 = 0x1000;
const PR_RTF_COMPRESSED: u16 = 0x1009;
const PR_HTML: u16 = 0x1013;
const PR_DISPLAY_NAME: u16 = 0x3001;
const PR_EMAIL_ADDRESS: u16 = 0x3003;
const PR_ATTACH_DATA: u16 = 0x3701;
const PR_ATTACH_FILENAME: u16 = 0x3704;
const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
const PR_ATTACH_MIME_TAG: u16 = 0x370e;
const PR_SMTP_ADDRESS: u16 = 0x39fe;
const PR_SENDER_SMTP_ADDRESS: u16 = 0x5d01;

/// Attachment types whose content is part of what the report says ([RFC 3464], [RFC 6522],
/// [RFC 5965], [RFC 8098]); other attachments (pictures, documents) are left out.
const REPORT_PARTS: &[&str] = &[
    "message/delivery-status", "message/global-delivery-status", "text/rfc822-headers", "message/global-headers", "message/rfc822",
    "message/global", "message/feedback-report", "message/disposition-notification",
];

struct Store<'a> {
    file: cfb::CompoundFile<Cursor<&'a [u8]>>,
    /// Bytes still allowed to be read.
    budget: u64,
    damaged: bool,
}

impl Store<'_> {
    /// The names of a storage's children ("" is the root), and whether each is a storage.
    fn children(&mut self, dir: &str) -> Vec<(String, bool)> {
        let path = if dir.is_empty() { "/" } else { dir };
        match self.file.read_storage(path) {
            Ok(entries) => entries.take(MAX_ENTRIES).map(|e| (e.name().to_owned(), e.is_storage())).collect(),
            Err(_) => {
                self.damaged = true;
                Vec::new()
            }
        }
    }

    fn stream(&mut self, path: &str) -> Option<Vec<u8>> {
        if !self.file.is_stream(path) {
            return None;
        }
        let result = self.file.open_stream(path).and_then(|stream| {
            let mut data = Vec::new();
            stream.take(self.budget).read_to_end(&mut data).map(|_| data)
        });
        match result {
            Ok(data) => {
                self.budget -= data.len() as u64;
                if self.budget == 0 {
                    self.damaged = true;
                }
                Some(data)
            }
            Err(_) => {
                self.damaged = true;
                None
            }
        }
    }

    fn substg(&mut self, dir: &str, id: u16, kind: u16) -> Option<Vec<u8>> {
        self.stream(&format!("{dir}/__substg1.0_{id:04X}{kind:04X}"))
    }

    /// A string property, Unicode (001F) or ANSI (001E); empty counts as absent.
    fn string(&mut self, dir: &str, id: u16, encoding: &'static str) -> Option<String> {
        let text = match self.substg(dir, id, 0x001f) {
            Some(bytes) => props::unicode(&bytes),
            None => props::ansi(&self.substg(dir, id, 0x001e)?, encoding),
        };
        (!text.trim().is_empty()).then_some(text)
    }

    fn fixed(&mut self, dir: &str, level: Level) -> Fixed {
        self.stream(&format!("{dir}/__properties_version1.0")).map(|s| Fixed::parse(&s, level)).unwrap_or_default()
    }

    fn message(&mut self, dir: &str, level: Level, parent_encoding: &'static str, depth: usize) -> Message {
        let fixed = self.fixed(dir, level);
        let enc = props::message_encoding(&fixed).unwrap_or(parent_encoding);
        let mut message = Message {
            class: self.string(dir, PR_MESSAGE_CLASS, enc),
            subject: self.string(dir, PR_SUBJECT, enc),
            transport_headers: self.string(dir, PR_TRANSPORT_MESSAGE_HEADERS, enc),
            date: fixed.time(PR_CLIENT_SUBMIT_TIME).or_else(|| fixed.time(PR_MESSAGE_DELIVERY_TIME)),
            text: self.string(dir, PR_BODY, enc),
            ..Message::default()
        };
        let sender_email = self.address(dir, &[PR_SENDER_SMTP_ADDRESS, PR_SENDER_EMAIL, PR_SENT_REPRESENTING_EMAIL], enc);
        let sender_name = self.string(dir, PR_SENDER_NAME, enc).or_else(|| self.string(dir, PR_SENT_REPRESENTING_NAME, enc));
        if sender_email.is_some() || sender_name.is_some() {
            message.from = Some(Address { name: sender_name, email: sender_email });
        }
        if message.text.is_none() {
            message.html = self.html(dir, &fixed, enc);
        }
        if message.text.is_none()
            && message.html.is_none()
            && let Some(rtf) = self.substg(dir, PR_RTF_COMPRESSED, 0x0102).and_then(|data| rtf::decompress(&data))
        {
            match rtf::de_encapsulate(&rtf) {
                rtf::Encapsulated::Html(html) => message.html = Some(html),
                rtf::Encapsulated::Text(text) => message.text = Some(text),
            }
        }
        let children = self.children(dir);
        let objects = |prefix: &str| -> Vec<String> {
            children.iter().filter(|(name, storage)| *storage && name.starts_with(prefix)).take(MAX_OBJECTS).map(|(name, _)| format!("{dir}/{name}")).collect()
        };
        let (recipients, attachments) = (objects("__recip_version1.0_#"), objects("__attach_version1.0_#"));
        for recipient in recipients {
            let kind = match self.fixed(&recipient, Level::Object).long(PR_RECIPIENT_TYPE) {
                Some(2) => RecipientType::Cc,
                Some(3) => RecipientType::Bcc,
                _ => RecipientType::To,
            };
            let email = self.address(&recipient, &[PR_SMTP_ADDRESS, PR_EMAIL_ADDRESS], enc);
            let name = self.string(&recipient, PR_DISPLAY_NAME, enc);
            message.recipients.push((kind, Address { name, email }));
        }
        for attachment in attachments {
            if let Some(attachment) = self.attachment(&attachment, enc, depth) {
                message.attachments.push(attachment);
            }
        }
        message
    }

    /// The first of these properties that holds an Internet address (Exchange also stores
    /// X.500 names such as `/O=ORG/OU=...` in the same properties).
    fn address(&mut self, dir: &str, ids: &[u16], enc: &'static str) -> Option<String> {
        ids.iter().find_map(|&id| self.string(dir, id, enc).filter(|a| a.contains('@')))
    }

    /// PR_HTML: bytes in the message's internet code page (else UTF-8 when they are), or a string.
    fn html(&mut self, dir: &str, fixed: &Fixed, enc: &'static str) -> Option<String> {
        let Some(bytes) = self.substg(dir, PR_HTML, 0x0102) else { return self.string(dir, PR_HTML, enc) };
        let internet = fixed.long(PR_INTERNET_CPID).and_then(props::code_page);
        let encoding = internet.unwrap_or(if std::str::from_utf8(&bytes).is_ok() { "utf-8" } else { enc });
        Some(props::ansi(&bytes, encoding))
    }

    fn attachment(&mut self, dir: &str, enc: &'static str, depth: usize) -> Option<Attachment> {
        let embedded = format!("{dir}/__substg1.0_{PR_ATTACH_DATA:04X}000D");
        if self.file.is_storage(&embedded) {
            if depth + 1 >= MAX_DEPTH {
                return None;
            }
            return Some(Attachment::Message(Box::new(self.message(&embedded, Level::EmbeddedMessage, enc, depth + 1))));
        }
        let tag = self.string(dir, PR_ATTACH_MIME_TAG, enc).map(|t| t.trim().to_ascii_lowercase());
        let name = self.string(dir, PR_ATTACH_LONG_FILENAME, enc).or_else(|| self.string(dir, PR_ATTACH_FILENAME, enc)).or_else(|| self.string(dir, PR_DISPLAY_NAME, enc));
        let extension = name.as_deref().and_then(|n| n.rsplit_once('.')).map(|(_, ext)| ext.to_ascii_lowercase());
        let content_type = match (tag, extension.as_deref()) {
            (Some(tag), _) if REPORT_PARTS.contains(&tag.as_str()) || tag.starts_with("text/") => tag,
            // An attached message saved by a mail program, with or without a tag.
            (_, Some("eml")) => "message/rfc822".to_owned(),
            (None, Some("txt")) => "text/plain".to_owned(),
            _ => return None,
        };
        let data = self.substg(dir, PR_ATTACH_DATA, 0x0102)?;
        Some(Attachment::Part { content_type, name, data })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
