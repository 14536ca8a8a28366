//! RFC 3464 delivery-status fields: one per-message block, then one block per recipient.
//! Liberal: continuation lines are joined, unknown fields are kept, malformed lines are skipped.

/// The fields of one block, in order, names lowercased.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of the field, trimmed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// The value with its type prefix removed (`rfc822; a@b` → `a@b`, `dns; mx` → `mx`).
    pub fn typed(&self, name: &str) -> Option<&str> {
        self.get(name).map(strip_type).filter(|v| !v.is_empty())
    }
}

/// Removes an RFC 3464 type prefix (`rfc822;`, `smtp;`, `dns;`, `x-unix;`) from a value.
pub fn strip_type(value: &str) -> &str {
    match value.split_once(';') {
        // Mimecast writes `rfc/822;`.
        Some((kind, rest)) if !kind.trim().is_empty() && kind.trim().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'/') => rest.trim(),
        _ => value.trim(),
    }
}

/// `Name: value` when the line is a field: the name a token (RFC 5322 §3.6.8's field name,
/// as RFC 3464 §2.1 uses it), and not the scheme of a URL (`https://...`).
fn field_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    let is_token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (is_token && !value.starts_with("//")).then_some((name, value))
}

/// A parsed `message/delivery-status` body.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DeliveryStatus {
    pub per_message: Fields,
    pub per_recipient: Vec<Fields>,
}

/// Parses the text of a delivery-status part. Blocks are split at blank lines; a block counts as
/// a recipient's when it names one (`Final-Recipient`, `Original-Recipient`) or says an action.
pub fn parse(text: &str) -> DeliveryStatus {
    let mut report = DeliveryStatus::default();
    let mut block = Fields::default();
    let flush = |block: &mut Fields, report: &mut DeliveryStatus| {
        if block.0.is_empty() {
            return;
        }
        let fields = std::mem::take(block);
        let is_recipient = ["final-recipient", "original-recipient", "action", "status"]
            .iter()
            .any(|name| fields.get(name).is_some());
        if is_recipient {
            report.per_recipient.push(fields);
        } else if report.per_recipient.is_empty() {
            report.per_message.0.extend(fields.0);
        }
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut block, &mut report);
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = block.0.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = field_line(line) {
            block.0.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        } else if let Some((_, value)) = block.0.last_mut().filter(|(name, _)| name == "diagnostic-code") {
            // The server's words lost their folding indentation (a paste from a forum, a chat
            // or a reflowing mail client): a line that is no field continues them.
            value.push(' ');
            value.push_str(line.trim());
        }
    }
    flush(&mut block, &mut report);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Reporting-MTA: dns; mail.example.co.jp\nArrival-Date: Mon, 20 Nov 2023 10:00:00 +0900\n\nFinal-Recipient: RFC822; hanako@partner.example.com\nAction: delayed\nStatus: 4.7.1\nRemote-MTA: DNS; mx.partner.example.com\nDiagnostic-Code: SMTP; 450 4.7.1 Mail from 192.0.2.8\n    has been blocked\nWill-Retry-Until: Sat, 25 Nov 2023 10:00:00 +0900\n\nFinal-Recipient: rfc822; b@example.com\nAction: failed\n";

    #[test]
    fn blocks_fields_and_continuations() {
        let dsn = parse(SAMPLE);
        assert_eq!(dsn.per_message.typed("reporting-mta"), Some("mail.example.co.jp"));
        assert_eq!(dsn.per_recipient.len(), 2);
        let first = &dsn.per_recipient[0];
        assert_eq!(first.typed("final-recipient"), Some("hanako@partner.example.com"));
        assert_eq!(first.typed("diagnostic-code"), Some("450 4.7.1 Mail from 192.0.2.8 has been blocked"));
        assert_eq!(first.typed("remote-mta"), Some("mx.partner.example.com"));
        assert_eq!(dsn.per_recipient[1].get("action"), Some("failed"));
    }

    #[test]
    fn unindented_continuation_of_the_server_words_is_joined() {
        // As pasted from a forum: the folding whitespace is gone, a URL starts a line.
        let pasted = "Final-Recipient: rfc822; b@example.com\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host\n[192.0.2.61] blocked using bl.example.net;\nhttps://bl.example.net/lookup?ip=192.0.2.61\nLast-Attempt-Date: Mon, 30 Nov 2026 10:00:00 +0000\n";
        let dsn = parse(pasted);
        let fields = &dsn.per_recipient[0];
        assert_eq!(
            fields.typed("diagnostic-code"),
            Some("554 5.7.1 Service unavailable; Client host [192.0.2.61] blocked using bl.example.net; https://bl.example.net/lookup?ip=192.0.2.61")
        );
        assert_eq!(fields.get("last-attempt-date"), Some("Mon, 30 Nov 2026 10:00:00 +0000"));
        // Only the server's words take such lines: an Action stays what it says.
        let stray = parse("Action: failed\nsome stray words\n");
        assert_eq!(stray.per_recipient[0].get("action"), Some("failed"));
    }

    #[test]
    fn garbage_yields_no_recipients() {
        assert!(parse("no fields here\n::::\n").per_recipient.is_empty());
        assert_eq!(strip_type("no type here"), "no type here");
        assert_eq!(strip_type("rfc/822;neko@example.net"), "neko@example.net");
    }
}
