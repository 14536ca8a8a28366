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
    failed_named: Regex,
    spf_sender: Regex,
}

/// The patterns, compiled ahead of a first message (see [`crate::prepare`]).
pub fn prepare() {
    compiled();
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| Compiled {
        // Gmail: "Authentication results: DKIM = did not pass SPF [example.net] with ip: [IP] = did not pass";
        // Yahoo's 5.7.9 writes the same block with a comma, the domain in parentheses and the
        // IP bare ("DKIM = did not pass, SPF (example.org) with ip: 192.0.2.1 = did not pass").
        gmail_dkim: pattern::compile(r"authentication results:?\s+dkim\s*=\s*(did not pass|pass)"),
        gmail_spf: pattern::compile(r"\bspf\s*[\[(]([a-z0-9.-]+)[\])]\s*with ip:?\s*\[?([0-9a-f.:]+)\]?\s*=\s*(did not pass|pass)"),
        // RFC 8601 result words as receivers quote them ("spf=fail", "DMARC: none"), or with a
        // space only, as postfix-policyd-spf's "SPF fail - not authorized" does.
        result: pattern::compile(r"\b(spf|dkim|dmarc)\s*[=:]?\s*(pass|fail|softfail|neutral|none|temperror|permerror)\b"),
        // A mechanism named as failed in a sentence: "SPF check failed", "DKIM checks did not
        // pass", Gmail's "(SPF and DKIM both do not pass)", "DMARC check failed" (QQ Mail) (Symantec's "SPF ... domain authentication fail",
        // sisimai issue #467). Within one clause, so "SPF or DKIM. ... fail" does not count.
        failed_named: pattern::compile(r"\b(spf|dkim|dmarc)\b[^.;,()]{0,40}?\b(?:fail(?:ed|s|ure)?|(?:did|does|do) not pass)\b"),
        // The domain and IP an SPF refusal names: postfix-policyd-spf's explanation link
        // "Why?s=mfrom;id=<sender>;ip=<IP>" (docker-mailserver issues #2066 and #2478), the
        // RFC 7208 §9.1 comment "domain of <sender> does not designate <IP> as permitted
        // sender", and Exim's SPF ACL "<IP> is not allowed to send mail from <domain>" (Exim
        // specification, SPF chapter; sisimai issue #467 "... is not allowed to send from
        // <example.jp> per it's SPF Record"), and Gmail's 5.7.26 "SPF check for [domain] did
        // not pass with ip: [IP]" (quoted on support.webcentral.au and cynet.net.my; "does not
        // pass" on serveraide.com).
        spf_sender: pattern::compile(
            r"why\?s=(?:mfrom|helo);id=(?:[^;@\s]*@)?(?P<d1>[a-z0-9-]+(?:\.[a-z0-9-]+)+);ip=(?P<i1>[0-9a-f.:]+)|(?:domain of )?(?:[^\s@:(]+@)?(?P<d2>[a-z0-9-]+(?:\.[a-z0-9-]+)+) does not designate (?P<i2>[0-9a-f.:]*[0-9a-f]) as permitted sender|(?P<i3>[0-9a-f.:]*[0-9a-f]) is not allowed to send (?:mail )?from <?(?:[^\s@<>]+@)?(?P<d3>[a-z0-9-]+(?:\.[a-z0-9-]+)+)|spf check for \[(?P<d4>[a-z0-9-]+(?:\.[a-z0-9-]+)+)\]\s+(?:did|does) not\s+pass with ip:?\s*\[(?P<i4>[0-9a-f.:]+)\]",
        ),
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

/// The result slot of a mechanism the patterns name (`spf`, `dkim`, else `dmarc`).
fn mechanism<'a>(auth: &'a mut Authentication, name: &[u8]) -> &'a mut Option<String> {
    match name {
        b"spf" => &mut auth.spf,
        b"dkim" => &mut auth.dkim,
        _ => &mut auth.dmarc,
    }
}

/// What the receiver's words say of authentication, or `None` when they say nothing of it.
pub fn read(diagnostic: &str) -> Option<Authentication> {
    let lower = diagnostic.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let table = compiled();
    let mut auth = gmail_results(&lower);
    for caps in table.result.captures_iter(bytes) {
        mechanism(&mut auth, &caps[1]).get_or_insert_with(|| pattern::as_text(&caps[2]));
    }
    for caps in table.failed_named.captures_iter(bytes) {
        mechanism(&mut auth, &caps[1]).get_or_insert_with(|| "fail".to_owned());
    }
    if let Some(caps) = table.spf_sender.captures(bytes) {
        let group = |names: [&str; 4]| names.iter().find_map(|n| caps.name(n)).map(|m| pattern::as_text(m.as_bytes()));
        if let (Some(domain), Some(ip)) = (group(["d1", "d2", "d3", "d4"]), group(["i1", "i2", "i3", "i4"])) {
            auth.spf.get_or_insert_with(|| "fail".to_owned());
            auth.domain.get_or_insert(domain);
            auth.ip.get_or_insert(ip);
        }
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
    fn yahoos_results_and_every_mechanism_the_words_name() {
        let auth = read("550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass, SPF (mail.example.org) with ip: 192.0.2.19 = did not pass").unwrap();
        assert_eq!(auth, Authentication { spf: Some("fail".into()), dkim: Some("fail".into()), dmarc: None, domain: Some("mail.example.org".into()), ip: Some("192.0.2.19".into()) });
        let named = read("550 5.7.1 SPF check failed and DKIM signature verification failed").unwrap();
        assert_eq!((named.spf.as_deref(), named.dkim.as_deref(), named.dmarc.as_deref()), (Some("fail"), Some("fail"), None));
        // "SPF or DKIM" with a failure in the next sentence names neither as failed.
        assert_eq!(read("Senders must authenticate with SPF or DKIM. Delivery failed"), None);
    }

    #[test]
    fn spf_refusals_name_the_domain_and_ip_they_give() {
        let policyd = read("550 5.7.23 <a@b.example>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.open-spf.org/Why?s=mfrom;id=pay@tenant.example;ip=192.0.2.44;r=<UNKNOWN>").unwrap();
        assert_eq!((policyd.spf.as_deref(), policyd.domain.as_deref(), policyd.ip.as_deref()), (Some("fail"), Some("tenant.example"), Some("192.0.2.44")));
        let rfc7208 = read("550 5.7.1 SPF: domain of myname@example.com does not designate 192.0.2.1 as permitted sender").unwrap();
        assert_eq!((rfc7208.domain.as_deref(), rfc7208.ip.as_deref()), (Some("example.com"), Some("192.0.2.1")));
        let gmail = read("550 5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. The sender must authenticate with at least one of SPF or DKIM. For this message, DKIM checks did not pass and SPF check for [shop.example] did not pass with ip: [192.0.2.8]. The sender should visit https://support.google.com/mail/answer/81126#authentication").unwrap();
        assert_eq!(gmail, Authentication { spf: Some("fail".into()), dkim: Some("fail".into()), dmarc: None, domain: Some("shop.example".into()), ip: Some("192.0.2.8".into()) });
        let exim = read("550 5.1.0 192.0.2.1 is not allowed to send from <example.jp> per it's SPF Record").unwrap();
        assert_eq!((exim.spf.as_deref(), exim.domain.as_deref(), exim.ip.as_deref()), (Some("fail"), Some("example.jp"), Some("192.0.2.1")));
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
