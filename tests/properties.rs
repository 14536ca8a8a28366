//! Properties of the whole pipeline, on small bounce messages built here: arbitrary bytes never
//! panic, and the way a message happens to be written down (line ends, header folding, the
//! transfer encoding of its text) never changes the diagnosis.

use bounce_doctor::{Kind, Report, diagnose};
use proptest::prelude::*;

/// One server reply, consistent in itself.
struct Reply {
    code: &'static str,
    status: &'static str,
    words: &'static str,
}

const REPLIES: &[Reply] = &[
    Reply { code: "550", status: "5.1.1", words: "<{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table" },
    Reply { code: "552", status: "5.2.2", words: "Mailbox full, quota exceeded" },
    Reply { code: "450", status: "4.7.1", words: "Service temporarily unavailable; Client host [{ip}] blocked using Trend Micro Email Reputation database. Please see http://www.mail-abuse.com/cgi-bin/lookup?{ip}" },
    Reply { code: "554", status: "5.7.1", words: "Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}" },
    Reply { code: "421", status: "4.7.0", words: "Try again later, closing connection. (EHLO)" },
    Reply { code: "550", status: "5.7.26", words: "Unauthenticated email from example.jp is not accepted due to domain's DMARC policy" },
];

/// How the notice is laid out.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// A single text part in the Postfix style: `<rcpt>: host ... said: ...`, wrapped.
    PostfixText,
    /// `multipart/report` with a human text part and a `message/delivery-status` part.
    Rfc3464,
}

/// How the human-readable text part is written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TextEncoding {
    EightBit,
    QuotedPrintable,
    Base64,
}

#[derive(Debug, Clone)]
struct Sample {
    recipient: String,
    reply: usize,
    ip: [u8; 4],
    delayed: bool,
    japanese: bool,
    layout: Layout,
}

impl Sample {
    fn reply(&self) -> &'static Reply {
        &REPLIES[self.reply]
    }

    fn ip(&self) -> String {
        let [a, b, c, d] = self.ip;
        format!("{a}.{b}.{c}.{d}")
    }

    fn server_words(&self) -> String {
        let reply = self.reply();
        let words = reply.words.replace("{rcpt}", &self.recipient).replace("{ip}", &self.ip());
        format!("{} {} {}", reply.code, reply.status, words)
    }

    /// The human text of the notice, `\n` line ends, long lines wrapped as mail systems do.
    fn notice_text(&self) -> String {
        let mut text = String::new();
        if self.japanese {
            text.push_str("このメールは配送システムからの自動送信です。\n次の宛先へ配送できませんでした。\n\n");
        }
        if self.delayed {
            text.push_str("This is a warning message only. Delivery of your message has been delayed.\nYou do not need to resend your message.\n\n");
        } else {
            text.push_str("I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n");
        }
        let line = format!("<{}>: host mx.partner.example.com[198.51.100.25] said: {} (in reply to RCPT TO command)", self.recipient, self.server_words());
        text.push_str(&wrap(&line, 72, "    "));
        text.push('\n');
        text
    }

    /// The message with `\n` line ends and the text part in the given encoding.
    fn message(&self, encoding: TextEncoding) -> String {
        let subject = if self.delayed { "Delayed Mail (still being retried)" } else { "Undelivered Mail Returned to Sender" };
        let mut out = format!(
            "Return-Path: <>\nReceived: from mx.example.org (mx.example.org [192.0.2.200])\n by mail.example.org with ESMTP id 4ABC123; Mon, 20 Nov 2023 10:00:05 +0900\nDate: Mon, 20 Nov 2023 10:00:05 +0900\nFrom: Mail Delivery System <MAILER-DAEMON@mail.example.org>\nTo: taro@example.org\nSubject: {subject}\nMessage-ID: <20231120010005.4ABC123@mail.example.org>\nMIME-Version: 1.0\n"
        );
        let text_part = |out: &mut String| {
            let text = self.notice_text();
            match encoding {
                TextEncoding::EightBit => {
                    out.push_str("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n");
                    out.push_str(&text);
                }
                TextEncoding::QuotedPrintable => {
                    out.push_str("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n");
                    out.push_str(&quoted_printable(&text));
                }
                TextEncoding::Base64 => {
                    out.push_str("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n");
                    // Encoded text is in canonical form: CRLF line ends inside the encoding.
                    out.push_str(&base64(text.replace('\n', "\r\n").as_bytes()));
                }
            }
        };
        match self.layout {
            Layout::PostfixText => text_part(&mut out),
            Layout::Rfc3464 => {
                out.push_str("Content-Type: multipart/report; report-type=delivery-status; boundary=\"4ABC123.1700442005/mail.example.org\"\n\nThis is a MIME-encapsulated message.\n\n--4ABC123.1700442005/mail.example.org\n");
                text_part(&mut out);
                let action = if self.delayed { "delayed" } else { "failed" };
                let reply = self.reply();
                out.push_str(&format!(
                    "\n--4ABC123.1700442005/mail.example.org\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\nArrival-Date: Mon, 20 Nov 2023 10:00:00 +0900\n\nFinal-Recipient: rfc822; {rcpt}\nOriginal-Recipient: rfc822;{rcpt}\nAction: {action}\nStatus: {status}\nRemote-MTA: dns; mx.partner.example.com\nDiagnostic-Code: smtp; {words}\n",
                    rcpt = self.recipient,
                    status = reply.status,
                    words = self.server_words(),
                ));
                out.push_str("\n--4ABC123.1700442005/mail.example.org\nContent-Type: text/rfc822-headers\n\nReceived: from pc.example.org (pc.example.org [192.0.2.77])\nFrom: taro@example.org\nTo: ");
                out.push_str(&self.recipient);
                out.push_str("\nSubject: Estimate\n\n--4ABC123.1700442005/mail.example.org--\n");
            }
        }
        out
    }
}

/// Wraps at spaces so no line is longer than `width`, continuation lines indented.
fn wrap(line: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut current = String::new();
    for word in line.split(' ') {
        if !current.is_empty() && current.len() + 1 + word.len() > width {
            out.push_str(&current);
            out.push('\n');
            current = indent.to_owned();
        } else if !current.is_empty() && current != indent {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push_str(&current);
    out
}

/// RFC 2045 quoted-printable of UTF-8 text with `\n` line ends (kept as hard line breaks).
fn quoted_printable(text: &str) -> String {
    let mut out = String::new();
    for line in text.split('\n') {
        let mut encoded = String::new();
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let piece = if (b == b' ' || b == b'\t') && last || !(b' '..=b'~').contains(&b) || b == b'=' {
                format!("={b:02X}")
            } else {
                (b as char).to_string()
            };
            // Soft line break before a line would exceed 76 characters.
            let current_len = encoded.rsplit('\n').next().map_or(0, str::len);
            if current_len + piece.len() > 75 {
                encoded.push_str("=\n");
            }
            encoded.push_str(&piece);
        }
        out.push_str(&encoded);
        out.push('\n');
    }
    out.pop();
    out
}

/// RFC 2045 base64, lines of 76 characters.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut flat = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                flat.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                flat.push('=');
            }
        }
    }
    let mut out = String::new();
    for line in flat.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).expect("ascii"));
        out.push('\n');
    }
    out
}

/// Folds every header field line (top level and delivery-status fields alike) longer than
/// `width` at its spaces, as RFC 5322 and RFC 3464 allow; the unfolded value is unchanged.
fn refold(message: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    for line in message.split('\n') {
        // Only field lines (`Name: value`) are folded; body text and base64 stay as they are.
        let is_field = line.split_once(':').is_some_and(|(name, _)| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        if is_field && line.len() > width {
            let (name, value) = line.split_once(": ").unwrap_or((line, ""));
            out.push_str(&wrap(&format!("{name}: {value}"), width, indent));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out.pop();
    out
}

fn with_line_ends(message: &str, line_end: &str) -> Vec<u8> {
    message.replace('\n', line_end).into_bytes()
}

fn sample() -> impl Strategy<Value = Sample> {
    (
        "[a-z][a-z0-9._]{0,12}@[a-z]{1,10}\\.(example\\.com|example\\.co\\.jp|example\\.net)",
        0..REPLIES.len(),
        (1u8..=223, any::<u8>(), any::<u8>(), 1u8..=254),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(Layout::PostfixText), Just(Layout::Rfc3464)],
    )
        .prop_map(|(recipient, reply, (a, b, c, d), delayed, japanese, layout)| Sample { recipient, reply, ip: [a, b, c, d], delayed, japanese, layout })
}

/// The sample must be read as what it is, or the properties below would hold vacuously.
fn assert_read(sample: &Sample, report: &Report) {
    assert_ne!(report.kind, Kind::NotABounce, "{sample:?}");
    assert_eq!(report.deliveries.len(), 1, "{sample:?}\n{report:#?}");
    let delivery = &report.deliveries[0];
    assert_eq!(delivery.recipient.as_deref(), Some(sample.recipient.as_str()), "{sample:?}");
    assert_eq!(delivery.reply_code.as_deref(), Some(sample.reply().code), "{sample:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn line_ends_do_not_change_the_diagnosis(sample in sample(), encoding in prop_oneof![Just(TextEncoding::EightBit), Just(TextEncoding::QuotedPrintable), Just(TextEncoding::Base64)]) {
        let message = sample.message(encoding);
        let lf = diagnose(&with_line_ends(&message, "\n"));
        assert_read(&sample, &lf);
        prop_assert_eq!(&diagnose(&with_line_ends(&message, "\r\n")), &lf, "CRLF");
        prop_assert_eq!(&diagnose(&with_line_ends(&message, "\r")), &lf, "CR");
    }

    #[test]
    fn refolding_headers_does_not_change_the_diagnosis(sample in sample(), width in 30usize..78, tab in any::<bool>()) {
        let message = sample.message(TextEncoding::EightBit);
        let plain = diagnose(&with_line_ends(&message, "\r\n"));
        assert_read(&sample, &plain);
        let folded = refold(&message, width, if tab { "\t" } else { "    " });
        prop_assert_eq!(&diagnose(&with_line_ends(&folded, "\r\n")), &plain, "folded at {}:\n{}", width, folded);
    }

    #[test]
    fn the_text_part_encoding_does_not_change_the_diagnosis(sample in sample()) {
        let plain = diagnose(&with_line_ends(&sample.message(TextEncoding::EightBit), "\r\n"));
        assert_read(&sample, &plain);
        let qp = diagnose(&with_line_ends(&sample.message(TextEncoding::QuotedPrintable), "\r\n"));
        let b64 = diagnose(&with_line_ends(&sample.message(TextEncoding::Base64), "\r\n"));
        prop_assert_eq!(&qp, &plain, "quoted-printable");
        prop_assert_eq!(&b64, &qp, "base64");
    }

    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let report = diagnose(&raw);
        prop_assert!(serde_json::to_string(&report).is_ok());
    }

    /// Damaged samples explore much more of the pipeline than random bytes do.
    #[test]
    fn damaged_messages_never_panic(
        sample in sample(),
        cut in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
    ) {
        let mut raw = with_line_ends(&sample.message(TextEncoding::QuotedPrintable), "\r\n");
        for (at, byte) in edits {
            let at = at.index(raw.len());
            raw[at] = byte;
        }
        raw.truncate(cut.index(raw.len() + 1));
        let report = diagnose(&raw);
        prop_assert!(serde_json::to_string(&report).is_ok());
    }
}

#[test]
fn encoders_used_by_the_properties_are_right() {
    assert_eq!(base64(b"Man\r\n"), "TWFuDQo=\n");
    assert_eq!(quoted_printable("a=b é \nx"), "a=3Db =C3=A9=20\nx");
    assert_eq!(wrap("aaa bbb ccc", 7, "  "), "aaa bbb\n  ccc");
}
