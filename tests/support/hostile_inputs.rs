//! Hostile and pathological inputs, shared by the hostile-input tests and the benchmark (which
//! times the same inputs the tests check for correctness).

#![allow(dead_code)]

/// A named input generator.
pub struct Hostile {
    pub name: &'static str,
    pub make: fn() -> Vec<u8>,
}

/// Every pathological input, in the order the benchmark table lists them.
pub const ALL: &[Hostile] = &[
    Hostile { name: "1 MB of '['", make: brackets },
    Hostile { name: "100 000 header lines", make: many_header_lines },
    Hostile { name: "10 000-level nested multipart", make: nested_multipart },
    Hostile { name: "5 MB single line", make: single_long_line },
    Hostile { name: "invalid UTF-8 + charset garbage", make: charset_garbage },
    Hostile { name: "100 000 recipient lines", make: many_recipient_lines },
    Hostile { name: "100 000 DSN recipient blocks", make: many_dsn_blocks },
    Hostile { name: "50 000 refused Sendmail sessions", make: many_refused_sessions },
    Hostile { name: "cyclic MIME tree (fuzz find)", make: || MIME_CYCLE.to_vec() },
];

pub fn brackets() -> Vec<u8> {
    vec![b'['; 1 << 20]
}

/// A message whose header block is 100 000 `Received:` lines, then a bounce body.
pub fn many_header_lines() -> Vec<u8> {
    let mut out = Vec::with_capacity(100_000 * 48);
    out.extend_from_slice(b"From: MAILER-DAEMON@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n");
    for i in 0..100_000u32 {
        out.extend_from_slice(format!("Received: from hop{i}.example.net by mx.example.org\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n<user@example.com>: host mx.example.com[198.51.100.1] said: 550 5.1.1 User unknown\r\n");
    out
}

/// Multipart parts nested 10 000 deep, each with its own boundary, a bounce text at the bottom.
pub fn nested_multipart() -> Vec<u8> {
    const DEPTH: usize = 10_000;
    let mut out = Vec::with_capacity(DEPTH * 80);
    out.extend_from_slice(b"From: MAILER-DAEMON@example.org\r\nSubject: Undelivered\r\nMIME-Version: 1.0\r\n");
    for level in 0..DEPTH {
        out.extend_from_slice(format!("Content-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n--b{level}\r\n").as_bytes());
    }
    out.extend_from_slice(b"Content-Type: text/plain\r\n\r\n<user@example.com>: 550 5.1.1 User unknown\r\n");
    for level in (0..DEPTH).rev() {
        out.extend_from_slice(format!("--b{level}--\r\n").as_bytes());
    }
    out
}

/// A message whose body is one 5 MB line with no line end.
pub fn single_long_line() -> Vec<u8> {
    let mut out = b"From: MAILER-DAEMON@example.org\nSubject: Undelivered\n\n".to_vec();
    let unit = b"550 5.1.1 <a@example.com> user unknown ";
    while out.len() < 5 << 20 {
        out.extend_from_slice(unit);
    }
    out
}

/// Invalid UTF-8, a lying charset label, broken encoded words and a base64 part that is not base64.
pub fn charset_garbage() -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"From: =?x-unknown?B?////?= <MAILER-DAEMON@example.org>\r\n");
    out.extend_from_slice(b"Subject: =?ISO-2022-JP?B?GyRCJT8lJCVIGyhC?= \xff\xfe\x80 =?utf-8?Q?=E3=81?=\r\n");
    out.extend_from_slice(b"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\r\n\r\n");
    out.extend_from_slice(b"--x\r\nContent-Type: text/plain; charset=shift_jis\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64***\r\n");
    out.extend_from_slice(b"--x\r\nContent-Type: message/delivery-status; charset=euc-jp\r\n\r\n");
    out.extend_from_slice(b"Final-Recipient: rfc822; \xc3\x28@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 \xa4\xa2\xe0\x80\x80 \x1b$B\xff\xff\r\n");
    out.extend_from_slice(b"--x\r\nContent-Type: text/plain; charset=utf-16\r\n\r\n\xed\xa0\x80\xf4\x90\x80\x80\r\n--x--\r\n");
    out
}

/// A text bounce naming 100 000 different recipients (one `<addr>: reply` line each).
pub fn many_recipient_lines() -> Vec<u8> {
    let mut out = b"From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n\n".to_vec();
    for i in 0..100_000u32 {
        out.extend_from_slice(format!("<user{i}@example.com>: 550 5.1.1 User unknown\n").as_bytes());
    }
    out
}

/// An RFC 3464 report with 100 000 per-recipient blocks.
pub fn many_dsn_blocks() -> Vec<u8> {
    let mut out = b"From: MAILER-DAEMON@example.org\r\nSubject: Delivery Status Notification\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n".to_vec();
    for i in 0..100_000u32 {
        out.extend_from_slice(format!("\r\nFinal-Recipient: rfc822; user{i}@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n").as_bytes());
    }
    out.extend_from_slice(b"--b--\r\n");
    out
}

/// A Sendmail transcript with one refused `While talking to` section per recipient: each
/// recipient line belongs to the section above it (`src/decode/text.rs`, `SessionRefusal`).
pub fn many_refused_sessions() -> Vec<u8> {
    let mut out = b"From: MAILER-DAEMON@example.org\nSubject: Returned mail\n\n   ----- Transcript of session follows -----\n".to_vec();
    for i in 0..50_000u32 {
        out.extend_from_slice(format!("While talking to mx{i}.example.com:\n>>> MAIL From:<me@example.org>\n<<< 501 <me@example.org>... no access\n554 <user{i}@example.com>... Remote protocol error\n").as_bytes());
    }
    out
}

/// A multipart whose first part is a `message/rfc822` wrapping an empty `message/rfc822`,
/// followed by another `message/rfc822` part. mail-parser 0.11.9 returns a MIME tree with a
/// cycle for it (part 0 lists [1]; part 1 lists [0, 1], the root and itself), and
/// `message::collect` (src/message.rs) follows child ids with only a depth limit, so it walks
/// the cycle down to `MAX_MIME_DEPTH` (32) with Fibonacci branching: millions of calls, about
/// 1 s in a release build for these 150 bytes (13 s under the fuzzer's instrumentation, where
/// the `diagnose` target found it as a timeout; fuzz/README.md). The hostile tests check it as a
/// ratio against the acyclic `MIME_NO_CYCLE` of the same shape, so the machine's speed cancels out.
pub const MIME_CYCLE: &[u8] = b"From: MAILER-DAEMON@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nContent-Type: message/rfc822\n\n\n--b\nContent-Type: message/rfc822\n\n\n--b--\n";
pub const MIME_NO_CYCLE: &[u8] = b"From: MAILER-DAEMON@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nSubject: returned\n\n\n--b\nContent-Type: message/rfc822\n\n\n--b--\n";

