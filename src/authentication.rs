//! What a bounce says of the sender's SPF, DKIM and DMARC: read from the receiver's own words,
//! so the `fix-authentication` step can name the mechanism, the domain and the IP. The shapes
//! come from the receivers' documentation (reference/blocklists.md, "Updates (November 2026)"):
//! Gmail 5.7.26 "Authentication results", 4.7.40 (no DMARC record), 5.7.32 (not aligned),
//! Microsoft 5.7.515, DMARC policy refusals, and `spf=fail`-style results (RFC 8601).

use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::pattern;
use crate::report::Authentication;

struct Compiled {
    gmail_dkim: Regex,
    gmail_spf: Regex,
    result: Regex,
    no_dmarc: Regex,
    unaligned: Regex,
    dmarc_policy: Regex,
    domain_level: Regex,
}

/// The patterns, compiled ahead of a first message (see [`crate::prepare`]).
pub fn prepare() {
    compiled();
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| Compiled {
        // Gmail: "Authentication results: DKIM = did not pass SPF [example.net] with ip: [IP] = did not pass".
        gmail_dkim: pattern::compile(r"authentication results:?\s+dkim\s*=\s*(did not pass|pass)"),
        gmail_spf: pattern::compile(r"\bspf\s*\[([a-z0-9.-]+)\]\s*with ip:?\s*\[([0-9a-f.:]+)\]\s*=\s*(did not pass|pass)"),
        // RFC 8601 result words as receivers quote them ("spf=fail", "DMARC: none").
        result: pattern::compile(r"\b(spf|dkim|dmarc)\s*[=:]\s*(pass|fail|softfail|neutral|none|temperror|permerror)\b"),
        // Gmail 4.7.40: the sending domain publishes no DMARC record.
        no_dmarc: pattern::compile(r"\bno dmarc record\b|\bdmarc record\b.{0,40}\b(?:missing|not found)|\b4\.7\.40\b"),
        // Gmail 5.7.32 / 4.7.32: the From domain does not align with SPF or DKIM.
        unaligned: pattern::compile(r"\b[45]\.7\.32\b|\bnot aligned\b|\balignment\b"),
        // "Unauthenticated email from example.no is not accepted due to domain's DMARC policy".
        dmarc_policy: pattern::compile(r"(?:email|mail|message) from ([a-z0-9-]+(?:\.[a-z0-9-]+)+) is not accepted due to (?:the )?domain'?s dmarc policy|\bdmarc policy\b"),
        // Microsoft 5.7.515: "sending domain example.com does not meet the required authentication level".
        domain_level: pattern::compile(r"sending domain ([a-z0-9-]+(?:\.[a-z0-9-]+)+) does not meet the required authentication level"),
    })
}

/// Enhanced status codes that receivers document as authentication refusals whatever their
/// wording: Gmail 5.7.26 / 4.7.40 / 5.7.32 / 4.7.32, Microsoft 5.7.515, Yahoo 5.7.9.
pub fn is_auth_status(status: Option<&str>) -> bool {
    matches!(status, Some("5.7.26" | "4.7.40" | "5.7.32" | "4.7.32" | "5.7.515" | "5.7.9"))
}

/// Gmail's "did not pass" is a failure in RFC 8601's words.
fn result_word(bytes: &[u8]) -> String {
    match bytes {
        b"did not pass" => "fail".to_owned(),
        other => pattern::as_text(other),
    }
}

/// What the receiver's words say of authentication, with Gmail's results block where the
/// notice prints it apart from the reply. Gmail's 5.7.26 bounce writes the reply, a blank line,
/// then "Authentication results:" with one line per mechanism ("DKIM = did not pass", "SPF
/// [domain] with ip: [IP] = did not pass"), the form Google's sender guidelines
/// (support.google.com/a/answer/81126) quote; readers that stop at the blank line keep only the
/// reply. The block is taken only when it follows the reply in the notice (so never from the
/// returned message above it) and only for mechanisms the reply did not state.
pub fn read_notice(diagnostic: &str, notice: &str) -> Option<Authentication> {
    let mut auth = read(diagnostic).unwrap_or_default();
    let lower = notice.to_ascii_lowercase();
    // The reply's last words, as the notice writes them: the block must come after them.
    let tail: String = diagnostic.split_whitespace().last().unwrap_or("").to_ascii_lowercase();
    let after = lower.find(&tail).filter(|_| !tail.is_empty()).map_or(lower.as_str(), |at| &lower[at..]);
    let block = after.find("authentication results").map(|at| &after[at..]);
    if let Some(block) = block.filter(|_| auth.spf.is_none() && auth.dkim.is_none()) {
        let gmail = gmail_results(block);
        auth.spf = gmail.spf;
        auth.dkim = gmail.dkim;
        auth.domain = auth.domain.or(gmail.domain);
        auth.ip = auth.ip.or(gmail.ip);
    }
    (auth != Authentication::default()).then_some(auth)
}

/// Gmail's "Authentication results" words, on one line or one mechanism a line.
fn gmail_results(lower: &str) -> Authentication {
    let table = compiled();
    let bytes = lower.as_bytes();
    let mut auth = Authentication::default();
    if let Some(caps) = table.gmail_dkim.captures(bytes) {
        auth.dkim = Some(result_word(&caps[1]));
    }
    if let Some(caps) = table.gmail_spf.captures(bytes) {
        auth.domain = Some(pattern::as_text(&caps[1]));
        auth.ip = Some(pattern::as_text(&caps[2]));
        auth.spf = Some(result_word(&caps[3]));
    }
    auth
}

/// What the receiver's words say of authentication, or `None` when they say nothing of it.
pub fn read(diagnostic: &str) -> Option<Authentication> {
    let lower = diagnostic.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let table = compiled();
    let mut auth = gmail_results(&lower);
    for caps in table.result.captures_iter(bytes) {
        let slot = match &caps[1] {
            b"spf" => &mut auth.spf,
            b"dkim" => &mut auth.dkim,
            _ => &mut auth.dmarc,
        };
        slot.get_or_insert_with(|| pattern::as_text(&caps[2]));
    }
    if table.no_dmarc.is_match(bytes) {
        auth.dmarc.get_or_insert_with(|| "none".to_owned());
    } else if table.unaligned.is_match(bytes) || table.dmarc_policy.is_match(bytes) {
        auth.dmarc.get_or_insert_with(|| "fail".to_owned());
    }
    let named = table.dmarc_policy.captures(bytes).and_then(|c| c.get(1)).or_else(|| table.domain_level.captures(bytes).and_then(|c| c.get(1)));
    if let Some(domain) = named {
        auth.domain.get_or_insert_with(|| pattern::as_text(domain.as_bytes()));
    }
    (auth != Authentication::default()).then_some(auth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_authentication_results_name_mechanisms_domain_and_ip() {
        let auth = read("550-5.7.26 This mail has been blocked because the sender is unauthenticated. 5.7.26 Authentication results: DKIM = did not pass SPF [example.net] with ip: [2001:db8::79] = did not pass").unwrap();
        assert_eq!(auth, Authentication { spf: Some("fail".into()), dkim: Some("fail".into()), dmarc: None, domain: Some("example.net".into()), ip: Some("2001:db8::79".into()) });
    }

    #[test]
    fn gmails_results_block_below_the_reply_is_read_one_mechanism_a_line() {
        let reply = "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.";
        let notice = format!("Subject: Delivery Status Notification (Failure)\n\n{reply}\n\n Authentication results:\n DKIM = did not pass\n SPF [shop.example] with ip: [192.0.2.150] = did not pass\n\n For instructions on setting up authentication, go to\n d2e1a72fcca58-7ab123.12 - gsmtp\n");
        let auth = read_notice(reply, &notice).unwrap();
        assert_eq!(auth, Authentication { spf: Some("fail".into()), dkim: Some("fail".into()), dmarc: None, domain: Some("shop.example".into()), ip: Some("192.0.2.150".into()) });
        // A block above the reply (the returned message) is not the receiver's word.
        let quoted = format!("Authentication results:\n DKIM = pass\n\n{reply}\n");
        assert_eq!(read_notice(reply, &quoted), None);
    }

    #[test]
    fn dmarc_refusals_and_microsofts_authentication_level() {
        let dmarc = read("550 5.7.1 Unauthenticated email from example.no is not accepted due to domain's DMARC policy.").unwrap();
        assert_eq!((dmarc.dmarc.as_deref(), dmarc.domain.as_deref()), (Some("fail"), Some("example.no")));
        let none = read("421-4.7.40 Your email has been rate limited because DMARC is not set up for your domain (no DMARC record)").unwrap();
        assert_eq!(none.dmarc.as_deref(), Some("none"));
        let ms = read("550 5.7.515 Access denied, sending domain example.com does not meet the required authentication level.").unwrap();
        assert_eq!(ms.domain.as_deref(), Some("example.com"));
        assert_eq!(read("550 5.1.1 user unknown"), None);
    }
}
