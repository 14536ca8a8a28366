//! SMTP replies: the reply code (RFC 5321) and the enhanced status code (RFC 3463) inside a
//! server's words, however they were wrapped or quoted.

/// Finds the first enhanced status code (`5.7.1`) in the text: class 2, 4 or 5, subject and
/// detail of one to three digits, not part of a longer dotted number such as an IP address.
pub fn find_status(text: &str) -> Option<&str> {
    (0..text.len()).find_map(|i| status_at(text, i))
}

/// The enhanced status code starting exactly at byte `i`: bounded work (at most 9 bytes read),
/// so a caller testing each candidate position stays linear.
fn status_at(text: &str, i: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    // Not a version either (`v4.6.1`, `MTA4.6.1`).
    if !matches!(bytes.get(i), Some(b'2' | b'4' | b'5')) || (i > 0 && (is_number_byte(bytes[i - 1]) || bytes[i - 1].is_ascii_alphabetic())) {
        return None;
    }
    let end = i + status_len(&bytes[i..])?;
    (end == bytes.len() || !is_number_byte(bytes[end])).then(|| &text[i..end])
}

/// The enhanced status code the text opens with.
pub fn leading_status(text: &str) -> Option<&str> {
    status_at(text, 0)
}

fn is_number_byte(b: u8) -> bool {
    b.is_ascii_digit() || b == b'.'
}

/// Length of `c.ddd.ddd` at the start of `bytes`.
fn status_len(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 5 || bytes[1] != b'.' {
        return None;
    }
    let mut pos = 2;
    for group in 0..2 {
        // At most four digits are read: a fourth already disqualifies the group.
        let digits = bytes[pos..].iter().take(4).take_while(|b| b.is_ascii_digit()).count();
        if !(1..=3).contains(&digits) {
            return None;
        }
        pos += digits;
        if group == 0 {
            if bytes.get(pos) != Some(&b'.') {
                return None;
            }
            pos += 1;
        }
    }
    Some(pos)
}

/// Chooses between the status a report states and the one in the server's words: the words win
/// when the stated one is missing or says nothing precise (`x.0.0`), or when it is the sending
/// server's generic retry verdict (`4.4.7`) for a more precise code of the same class.
pub fn prefer_status<'a>(stated: Option<&'a str>, in_words: Option<&'a str>, attached: bool) -> Option<&'a str> {
    let Some(words) = in_words else { return stated };
    let Some(stated) = stated else { return Some(words) };
    let same_class = stated.get(..1) == words.get(..1);
    if attached && same_class && !words.ends_with(".0.0") {
        // The remote server's own code, written with its reply, is more precise than the
        // sending server's summary of it.
        return Some(words);
    }
    let vague = stated.ends_with(".0.0") || (stated.len() == 7 && stated.get(1..5) == Some(".0.9"));
    if (vague && !words.ends_with(".0.0")) || (same_class && stated.ends_with(".4.7") && !words.ends_with(".0.0")) {
        Some(words)
    } else {
        Some(stated)
    }
}

/// Joins a multi-line reply as one sentence: `550-5.7.1 Foo 550-5.7.1 bar 550 5.7.1 baz` becomes
/// `550 5.7.1 Foo bar baz`, so phrases broken across the server's lines can be read.
pub fn join_reply_lines(text: &str) -> String {
    let trimmed = text.trim();
    let Some(code) = leading_reply_code(trimmed) else { return text.to_owned() };
    let after_code = trimmed.get(4..).unwrap_or("");
    let status = leading_status(after_code);
    let mut prefixes = Vec::new();
    if let Some(status) = status {
        prefixes.push(format!("{code}-{status} "));
        prefixes.push(format!("{code} {status} "));
    }
    prefixes.push(format!("{code}-"));
    let head = match status {
        Some(status) => format!("{code} {status} "),
        None => format!("{code} "),
    };
    // The code, its separator and the status are ASCII, so this is a character boundary.
    let consumed = 4 + status.map_or(0, str::len);
    let mut rest = trimmed.get(consumed..).unwrap_or("").to_owned();
    for prefix in &prefixes {
        rest = rest.replace(&format!(" {prefix}"), " ");
    }
    let joined = format!("{head}{}", rest.trim_start());
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The remote reply quoted inside a sending server's own verdict: `... <421 4.4.2 words>` at the
/// end of a `4.4.7`/`5.4.7` expiry.
pub fn quoted_last_reply(text: &str) -> Option<&str> {
    let expiry = find_status(text).is_some_and(|s| s.ends_with(".4.7"));
    let open = text.rfind('<')?;
    let inner = text[open + 1..].trim_end().strip_suffix('>')?;
    let code = leading_reply_code(inner)?;
    (expiry && find_status(inner).is_some() && !code.is_empty()).then_some(inner)
}

/// The enhanced status written right after a reply code (`550 5.2.2`, `550-5.2.2`,
/// `550-'5.2.2`): the remote server's own classification of its reply.
pub fn status_after_reply(text: &str) -> Option<&str> {
    // Each candidate code costs a bounded look at what follows it: linear in the text.
    let mut from = 0;
    while let Some(at) = reply_code_from(text, from) {
        let rest = &text[at + 3..];
        let skipped = rest.bytes().take_while(|b| matches!(b, b' ' | b'-' | b'\'' | b'"')).count();
        if let Some(status) = leading_status(&rest[skipped..]) {
            return Some(status);
        }
        from = at + 3;
    }
    None
}

/// The reply code of a refusal: the first 4xx/5xx code, past a greeting or an earlier positive
/// reply quoted before it (`220-laposte 421 4.2.1 Service refused`); else any code.
pub fn find_failure_reply_code(text: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(at) = reply_code_from(text, from) {
        if text.as_bytes()[at] != b'2' {
            return Some(&text[at..at + 3]);
        }
        from = at + 3;
    }
    find_reply_code(text)
}

/// Finds the SMTP reply code: a three-digit number starting with 2, 4 or 5, standing alone
/// (followed by a space, `-`, end of text, or an enhanced code), not part of a date or an IP.
pub fn find_reply_code(text: &str) -> Option<&str> {
    reply_code_offset(text).map(|i| &text[i..i + 3])
}

/// Where [`find_reply_code`]'s code starts.
pub fn reply_code_offset(text: &str) -> Option<usize> {
    reply_code_from(text, 0)
}

/// The byte offset of the first failure reply code (4xx, 5xx) in the text, past any success
/// reply before it (a transcript's `250 2.1.0 Ok` to MAIL FROM, then `550 5.1.1 ...` to RCPT).
pub fn failure_reply_offset(text: &str) -> Option<usize> {
    (0..text.len()).find(|&i| matches!(text.as_bytes()[i], b'4' | b'5') && reply_code_at(text.as_bytes(), i))
}

/// The byte offset of the first reply code at or after `from`.
fn reply_code_from(text: &str, from: usize) -> Option<usize> {
    (from..text.len()).find(|&i| reply_code_at(text.as_bytes(), i))
}

/// The reply code the text opens with.
pub fn leading_reply_code(text: &str) -> Option<&str> {
    reply_code_at(text.as_bytes(), 0).then(|| &text[..3])
}

/// Whether a reply code starts exactly at byte `i` (reads at most six bytes).
fn reply_code_at(bytes: &[u8], i: usize) -> bool {
    let Some(code) = bytes.get(i..i + 3) else { return false };
    // `ERROR_CODE :550` (Zoho) labels a code; `host:550` or `10:55:00` do not.
    let labelled = i >= 2 && bytes[i - 1] == b':' && bytes[i - 2] == b' ';
    let before_ok = i == 0 || labelled || !(bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'.' | b':' | b'-' | b'/' | b'#' | b'='));
    let after_ok = matches!(bytes.get(i + 3), None | Some(b' ' | b'-' | b'\t' | b'\n' | b'"' | b')' | b']' | b',' | b':'));
    before_ok && after_ok && matches!(code[0], b'2' | b'4' | b'5') && code[1].is_ascii_digit() && code[2].is_ascii_digit() && code[1] <= b'5'
}

/// The commands of an SMTP session that a refusal can answer.
pub const SESSION_COMMANDS: &[&str] = &["HELO", "EHLO", "MAIL", "RCPT", "DATA", "STARTTLS", "AUTH"];

/// The session command that uppercase text starts with (`RCPT TO:<a@b>` → `RCPT`).
pub fn leading_command(upper: &str) -> Option<&'static str> {
    SESSION_COMMANDS.iter().copied().find(|c| upper.starts_with(c))
}

/// True when the text starts with a 4xx or 5xx reply code: the server refused.
pub fn starts_with_refusal(reply: &str) -> bool {
    leading_reply_code(reply).is_some_and(|c| c.starts_with(['4', '5']))
}

/// A refusal with the server's own classification (`550 5.1.1 ...`, `451-4.7.1 ...`): a 4xx/5xx
/// reply code, then an enhanced status code of the same class (RFC 5321 §4.2, RFC 3463 §2). A
/// number in a sentence seldom has both.
pub fn starts_with_coded_refusal(text: &str) -> bool {
    let Some(code) = leading_reply_code(text).filter(|c| c.starts_with(['4', '5'])) else { return false };
    let rest = &text[3..];
    let skipped = rest.bytes().take_while(|b| matches!(b, b' ' | b'-')).count();
    skipped > 0 && leading_status(&rest[skipped..]).is_some_and(|status| status.as_bytes()[0] == code.as_bytes()[0])
}

/// The SMTP command named in text such as `(in reply to RCPT TO command)` or `>>> DATA`.
pub fn find_command(text: &str) -> Option<&'static str> {
    let upper = text.to_ascii_uppercase();
    for marker in ["IN REPLY TO ", "AFTER ", ">>> ", "IN RESPONSE TO ", "ERROR FOLLOWING "] {
        let mut rest = upper.as_str();
        while let Some(pos) = rest.find(marker) {
            let tail = rest[pos + marker.len()..].trim_start_matches(['"', '\'']);
            let other = || ["QUIT", "RSET", "CONN"].into_iter().find(|c| tail.starts_with(c));
            if let Some(command) = leading_command(tail).or_else(other) {
                return Some(command);
            }
            if tail.starts_with("END OF DATA") || tail.starts_with("END OF MESSAGE") {
                return Some("DATA");
            }
            rest = &rest[pos + marker.len()..];
        }
    }
    None
}

/// The command a reply answered when it is not named: a reply that opens with the refused
/// address and a colon (`550 <rcpt>: User unknown`, Postfix's `<rcpt>: Recipient address
/// rejected`) is the answer to `RCPT TO`, which is the only command that names the recipient;
/// so is RFC 5321's own wording for a 550 about the recipient's mailbox ("Requested action not
/// taken: mailbox unavailable").
pub fn command_implied_by_reply(text: &str) -> Option<&'static str> {
    let code = leading_reply_code(text)?;
    let rest = text[code.len()..].trim_start_matches([':', ' ', '-']);
    let rest = leading_status(rest).map_or(rest, |s| rest[s.len()..].trim_start());
    const MAILBOX_UNAVAILABLE: &str = "requested action not taken: mailbox unavailable";
    if code == "550" && rest.get(..MAILBOX_UNAVAILABLE.len()).is_some_and(|words| words.eq_ignore_ascii_case(MAILBOX_UNAVAILABLE)) {
        return Some("RCPT");
    }
    let inner = rest.strip_prefix('<')?;
    let close = inner.find('>')?;
    (inner[..close].contains('@') && inner[close + 1..].starts_with(':')).then_some("RCPT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_found_but_not_inside_ips_or_versions() {
        assert_eq!(find_status("450 4.7.1 Service unavailable"), Some("4.7.1"));
        assert_eq!(find_status("from 192.0.2.5 said 5.1.1"), Some("5.1.1"));
        assert_eq!(find_status("version 2.5.10.3 only"), None);
        assert_eq!(find_status("Lotus SMTP MTA v4.6.1 (569.2)"), None);
        assert_eq!(find_status("#5.1.10 smtp;550"), Some("5.1.10"));
    }

    #[test]
    fn reply_code_is_found_but_not_inside_dates_or_ids() {
        assert_eq!(find_reply_code("said: 450 4.7.1 x"), Some("450"));
        assert_eq!(find_reply_code("550-5.7.26 unauthenticated"), Some("550"));
        assert_eq!(find_reply_code("id 4AB1C2D3E4 at 2023 then 554 5.7.1"), Some("554"));
        assert_eq!(find_reply_code("host [192.0.2.250] ok"), None);
    }

    #[test]
    fn multi_line_replies_are_joined() {
        assert_eq!(
            join_reply_lines("550-5.7.1 Messages with multiple 550-5.7.1 addresses in From: 550 5.7.1 header are not accepted."),
            "550 5.7.1 Messages with multiple addresses in From: header are not accepted."
        );
        assert_eq!(join_reply_lines("550-Your message was rejected 550-Reason: no PTR"), "550 Your message was rejected Reason: no PTR");
        assert_eq!(join_reply_lines("User unknown"), "User unknown");
        assert_eq!(join_reply_lines("550 5.7.1あいう"), "550 5.7.1 あいう");
        assert_eq!(join_reply_lines("550"), "550");
    }

    #[test]
    fn the_remote_servers_own_code_wins() {
        assert_eq!(status_after_reply("5.1.0 - Unknown address error 550-'5.2.2 <a@b>... Mailbox Full'"), Some("5.2.2"));
        assert_eq!(status_after_reply("host said: 552 5.2.2 Over quota"), Some("5.2.2"));
        assert_eq!(prefer_status(Some("5.1.1"), Some("5.2.2"), true), Some("5.2.2"));
        assert_eq!(prefer_status(Some("5.1.1"), Some("5.2.2"), false), Some("5.1.1"));
        assert_eq!(prefer_status(Some("5.0.0"), Some("5.7.1"), false), Some("5.7.1"));
    }

    #[test]
    fn a_refusal_code_is_preferred_to_a_greeting() {
        assert_eq!(find_failure_reply_code("220-laposte 421 4.2.1 Service refused"), Some("421"));
        assert_eq!(find_failure_reply_code("250 2.6.0 Message received"), Some("250"));
    }

    #[test]
    fn the_reply_inside_an_expiry_is_found() {
        let text = "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>";
        assert_eq!(quoted_last_reply(text), Some("421 4.4.2 Connection timed out"));
        assert_eq!(quoted_last_reply("550 5.1.1 <a@example.com>: User unknown"), None);
    }

    #[test]
    fn command_is_found() {
        assert_eq!(find_command("(in reply to RCPT TO command)"), Some("RCPT"));
        assert_eq!(find_command(">>> DATA\n<<< 554"), Some("DATA"));
        assert_eq!(find_command("(in reply to end of DATA command)"), Some("DATA"));
        assert_eq!(find_command("nothing"), None);
        assert_eq!(command_implied_by_reply("550 <a@example.jp>: User unknown"), Some("RCPT"));
        assert_eq!(command_implied_by_reply("550 5.1.1 <a@example.jp>: Recipient address rejected"), Some("RCPT"));
        assert_eq!(command_implied_by_reply("550 : User unknown"), None);
        assert_eq!(command_implied_by_reply("550 <a@example.jp>... User unknown"), None);
        assert_eq!(command_implied_by_reply("550 Requested action not taken: mailbox unavailable (-22:2222)"), Some("RCPT"));
        assert_eq!(command_implied_by_reply("554 Requested action not taken: mailbox unavailable"), None);
    }

    #[test]
    fn a_coded_refusal_has_a_failure_code_and_a_status_of_its_class() {
        for yes in ["550 5.1.1 User unknown", "451-4.7.1 Try later", "552 5.2.2 Mailbox full"] {
            assert!(starts_with_coded_refusal(yes), "{yes}");
        }
        for no in ["550 User unknown", "250 2.0.0 Ok", "451 5.7.1 mixed classes", "550 1234 call us", "5505.1.1"] {
            assert!(!starts_with_coded_refusal(no), "{no}");
        }
    }
}
