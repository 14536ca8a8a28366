//! Writes a [`Message`] read from a `.msg` as the RFC 5322 / MIME message it stands for: the
//! transport headers it was received with (else headers made from its properties), then a
//! multipart body of its text, its report parts and its embedded messages.

use super::{Address, Attachment, Message, RecipientType};

/// Header fields of the transport headers that described the original MIME body; the body is
/// written anew, so they are replaced.
const BODY_FIELDS: &[&str] = &["content-type", "content-transfer-encoding", "mime-version", "content-disposition"];

pub fn write(message: &Message, depth: usize) -> Vec<u8> {
    // Parts first: the boundary must not occur in them.
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    if let Some(text) = &message.text {
        parts.push(("text/plain; charset=utf-8".to_owned(), text.as_bytes().to_vec()));
    }
    if let Some(html) = &message.html {
        parts.push(("text/html; charset=utf-8".to_owned(), html.as_bytes().to_vec()));
    }
    for attachment in &message.attachments {
        match attachment {
            Attachment::Part { content_type, name, data } => {
                let name = name.as_deref().map(|n| format!("; name=\"{}\"", one_line(n).replace(['"', '\\'], "_"))).unwrap_or_default();
                parts.push((format!("{content_type}{name}"), data.clone()));
            }
            Attachment::Message(inner) => parts.push(("message/rfc822".to_owned(), write(inner, depth + 1))),
        }
    }
    let mut out = Vec::new();
    let report_type = match &message.transport_headers {
        Some(headers) => copy_headers(headers, &mut out),
        None => {
            made_headers(message, &mut out);
            None
        }
    };
    let boundary = boundary(depth, &parts);
    let kind = match report_type {
        Some(report_type) => format!("multipart/report; report-type={report_type}"),
        None => "multipart/mixed".to_owned(),
    };
    out.extend_from_slice(format!("MIME-Version: 1.0\nContent-Type: {kind}; boundary=\"{boundary}\"\n\n").as_bytes());
    for (content_type, data) in &parts {
        out.extend_from_slice(format!("--{boundary}\nContent-Type: {content_type}\nContent-Transfer-Encoding: 8bit\n\n").as_bytes());
        out.extend_from_slice(data);
        out.push(b'\n');
    }
    out.extend_from_slice(format!("--{boundary}--\n").as_bytes());
    out
}

/// A boundary that occurs in no part: a fixed stem, then one `_` more than the longest run of
/// `_` that follows the stem anywhere in the parts (one pass, however hostile the content).
fn boundary(depth: usize, parts: &[(String, Vec<u8>)]) -> String {
    let stem = format!("=_bounce-doctor-msg-{depth}");
    let longest = parts
        .iter()
        .flat_map(|(_, data)| {
            let stem = stem.as_bytes();
            (0..data.len().saturating_sub(stem.len() - 1))
                .filter(move |&at| data[at..].starts_with(stem))
                .map(move |at| data[at + stem.len()..].iter().take_while(|&&b| b == b'_').count())
        })
        .max();
    match longest {
        Some(run) => format!("{stem}{}", "_".repeat(run + 1)),
        None => stem,
    }
}

/// Copies the transport headers up to their first blank line, leaving out the fields that
/// described the old body; returns the `report-type` when the message was a `multipart/report`.
fn copy_headers(headers: &str, out: &mut Vec<u8>) -> Option<String> {
    let mut content_type = String::new();
    let mut field = String::new();
    for line in headers.lines().take_while(|line| !line.trim().is_empty()) {
        if !line.starts_with([' ', '\t']) {
            field = line.split(':').next().unwrap_or("").trim().to_ascii_lowercase();
        }
        if !BODY_FIELDS.contains(&field.as_str()) {
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        } else if field == "content-type" {
            content_type.push_str(&line.to_ascii_lowercase());
        }
    }
    if !content_type.contains("multipart/report") {
        return None;
    }
    let (_, value) = content_type.split_once("report-type=")?;
    let value: String = value.trim_start_matches('"').chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    (!value.is_empty()).then_some(value)
}

/// Header fields from the message's properties, for a message that has no transport headers
/// (a draft, a message written by Outlook itself, or an embedded one stored without them).
fn made_headers(message: &Message, out: &mut Vec<u8>) {
    let mut field = |name: &str, value: &str| out.extend_from_slice(format!("{name}: {}\n", one_line(value)).as_bytes());
    if let Some(from) = &message.from {
        field("From", &mailbox(from));
    }
    for (kind, name) in [(RecipientType::To, "To"), (RecipientType::Cc, "Cc")] {
        let list: Vec<String> = message.recipients.iter().filter(|(k, _)| *k == kind).map(|(_, a)| mailbox(a)).collect();
        if !list.is_empty() {
            field(name, &list.join(", "));
        }
    }
    field("Subject", message.subject.as_deref().unwrap_or(""));
    if let Some(date) = &message.date {
        field("Date", date);
    }
}

fn mailbox(address: &Address) -> String {
    let name = address.name.as_deref().map(|n| one_line(n).replace(['"', '\\'], "")).filter(|n| !n.trim().is_empty());
    match (name, address.email.as_deref()) {
        (Some(name), Some(email)) => format!("\"{name}\" <{}>", one_line(email)),
        (None, Some(email)) => format!("<{}>", one_line(email)),
        (Some(name), None) => format!("\"{name}\" <>"),
        (None, None) => "<>".to_owned(),
    }
}

/// A property value as one header line: line breaks would end the field.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}
