//! Deciding the reason of one delivery from the server's words, kept as data: a table of
//! patterns per reason, tried in table order (earlier rows win), and a fallback from the
//! enhanced status code. The table is compiled once into a `RegexSet`.
//!
//! Patterns are written in lowercase and run on an ASCII-lowercased copy of the text, which has
//! the same byte offsets as the original, so spans point into the server's words as written.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexSet};

use crate::pattern;

use crate::report::{Evidence, Reason};

/// One row of the table: a named pattern that means a reason.
pub struct Rule {
    pub name: &'static str,
    pub reason: Reason,
    pub pattern: &'static str,
}

macro_rules! rules {
    ($($reason:ident $name:literal $pattern:literal;)*) => {
        &[$(Rule { name: $name, reason: Reason::$reason, pattern: $pattern },)*]
    };
}

/// The phrase table, most specific first.
pub static RULES: &[Rule] = rules! {
    // Reputation and blocklists before anything that merely mentions a recipient.
    Blocked "dnsbl-blocked-using" r"blocked using |listed (?:on|in|at) (?:the )?[a-z0-9.-]+(?:bl|rbl|dnsbl)|\b(?:dnsbl|rbl|blacklist(?:ed)?|blocklist(?:ed)?|block list|black list)\b";
    Blocked "trendmicro-ers" r"trend ?micro|mail-abuse\.(?:com|org)|ers-(?:qil|dul|rbl|customized)|email reputation (?:service|database)";
    Blocked "ip-refused" r"(?:client|sending|your|the) (?:host|ip)(?: address)? .{0,60}(?:blocked|refused|rejected|banned|denied|not allowed)|banned sending ip|access denied\. ip name lookup failed|poor reputation|has been blocked|is blocked|ip address .{0,40}(?:blocked|block list)";
    RequirePtr "no-reverse-dns" r"reverse (?:dns|lookup|hostname)|no ptr|ptr record|(?:cannot|can't|could not|unable to) (?:find|resolve) your host ?name|ip name lookup failed|not resolve to|no rdns";
    AuthFailure "spf-dkim-dmarc" r"\bspf\b.{0,40}(?:fail|check)|\bdkim\b.{0,40}fail|\bdmarc\b|5\.7\.26|unauthenticated (?:email|mail)|sender policy framework|authentication results";
    UserUnknown "no-such-user" r"user unknown|unknown user|no such (?:user|mailbox|recipient|address|account)|(?:mailbox|recipient|address|user|account)(?: address)? (?:does not|doesn't|did not) exist|(?:recipient|address|mailbox|user) (?:is )?(?:unknown|invalid|not found)|invalid (?:recipient|mailbox|address)|unknown (?:recipient|local[- ]part|address|mailbox)|not a valid (?:user|mailbox|recipient)|mailbox unavailable|account (?:is )?(?:not found|unavailable)|no mailbox here|undeliverable address|addressee unknown|bad destination mailbox";
    HostUnknown "no-such-domain" r"host (?:or domain name )?not found|host unknown|unknown host|domain (?:not found|does not exist)|name or service not known|no (?:mx|a) record|unrouteable address|unroutable|nxdomain|domain (?:name )?(?:is )?(?:invalid|unknown)";
    MailboxFull "over-quota" r"mailbox (?:is )?full|over ?quota|quota exceeded|exceeded (?:the )?(?:storage|quota)|insufficient (?:storage|disk space)|mailbox size limit|disk quota|not enough (?:storage|space)|user is over";
    MesgTooBig "message-too-big" r"message (?:is )?too (?:big|large)|message size exceeds|exceeds (?:the )?(?:maximum|max) (?:message )?size|size limit exceeded";
    Suspend "account-disabled" r"account (?:is |has been )?(?:disabled|suspended|inactive|deactivated|locked)|mailbox (?:is )?(?:disabled|inactive|suspended)|user (?:is )?(?:suspended|inactive|disabled)";
    NoRelaying "relay-denied" r"relay(?:ing)? (?:access )?(?:denied|not permitted|not allowed|prohibited)|not permitted to relay|unable to relay|we do not relay";
    TooManyConn "too-many-connections" r"too many (?:connections|concurrent)|connection limit|too many simultaneous";
    Speeding "rate-limited" r"rate limit|too many (?:messages|mails|recipients)|sending rate|try again later.{0,40}(?:rate|volume)|throttl";
    SpamDetected "spam-content" r"spam|junk mail|unsolicited|bulk mail";
    VirusDetected "virus" r"virus|malware|infected";
    PolicyViolation "policy" r"policy|prohibited|not allowed";
    NetworkError "connection" r"connection (?:reset|refused|timed out|closed)|timed out|network is unreachable|no route to host|lost connection|could not connect";
    SystemFull "disk-full" r"system (?:is )?full|insufficient system storage";
    SystemError "server-error" r"internal (?:server )?error|system error|temporar(?:y|ily) (?:failure|error|unavailable)|service (?:is )?(?:temporarily )?unavailable|local error";
    Expired "gave-up" r"retry (?:timeout|time) exceeded|delivery time expired|message expired|giving up|could not be delivered within|too long in queue|queue time";
};

/// Fallback from the enhanced status code when no phrase decided: `class.subject.detail`,
/// matched on subject and detail (the class only says temporary or permanent).
static STATUS_FALLBACK: &[(&str, Reason)] = &[
    (".1.1", Reason::UserUnknown),
    (".1.2", Reason::HostUnknown),
    (".1.3", Reason::UserUnknown),
    (".1.6", Reason::HasMoved),
    (".1.8", Reason::Rejected),
    (".1.10", Reason::NotAccept),
    (".2.1", Reason::Suspend),
    (".2.2", Reason::MailboxFull),
    (".2.3", Reason::ExceedLimit),
    (".2.4", Reason::MailerError),
    (".3.1", Reason::SystemFull),
    (".3.2", Reason::NotAccept),
    (".3.4", Reason::MesgTooBig),
    (".3.5", Reason::SystemError),
    (".4.1", Reason::NetworkError),
    (".4.2", Reason::NetworkError),
    (".4.3", Reason::SystemError),
    (".4.4", Reason::HostUnknown),
    (".4.6", Reason::NetworkError),
    (".4.7", Reason::Expired),
    (".5.3", Reason::TooManyConn),
    (".6.0", Reason::ContentError),
    (".7.0", Reason::SecurityError),
    (".7.1", Reason::Rejected),
    (".7.7", Reason::AuthFailure),
    (".7.8", Reason::SecurityError),
    (".7.9", Reason::SecurityError),
    (".7.25", Reason::RequirePtr),
    (".7.26", Reason::AuthFailure),
];

struct Compiled {
    set: RegexSet,
    each: Vec<Regex>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let patterns: Vec<&str> = RULES.iter().map(|r| r.pattern).collect();
        Compiled {
            set: pattern::compile_set(&patterns),
            each: patterns.iter().map(|p| pattern::compile(p)).collect(),
        }
    })
}

/// The decision on one text: the reason, and the evidence when a phrase decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub reason: Reason,
    pub evidence: Option<Evidence>,
}

/// Decides the reason from the server's words and, failing that, the status code.
pub fn classify(text: &str, status: Option<&str>) -> Decision {
    if let Some(decision) = by_phrase(text) {
        return decision;
    }
    Decision { reason: status.and_then(by_status).unwrap_or(Reason::Undefined), evidence: None }
}

/// The first row of the table whose pattern occurs in the text.
pub fn by_phrase(text: &str) -> Option<Decision> {
    if text.is_empty() {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let rules = compiled();
    let index = rules.set.matches(lower.as_bytes()).into_iter().next()?;
    let found = rules.each[index].find(lower.as_bytes())?;
    let rule = &RULES[index];
    let (start, end) = pattern::char_span(text, found.start(), found.end());
    Some(Decision { reason: rule.reason, evidence: Some(Evidence { rule: rule.name.to_owned(), start, end }) })
}

/// The reason an enhanced status code implies by itself, if any.
pub fn by_status(status: &str) -> Option<Reason> {
    let rest = status.get(1..)?;
    STATUS_FALLBACK.iter().find(|(suffix, _)| *suffix == rest).map(|&(_, reason)| reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_compiles_and_names_are_unique() {
        assert_eq!(compiled().each.len(), RULES.len());
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
    }

    #[test]
    fn phrases_decide_with_evidence_spans_in_the_original_text() {
        let text = "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown";
        let decision = classify(text, Some("5.1.1"));
        assert_eq!(decision.reason, Reason::UserUnknown);
        let evidence = decision.evidence.unwrap();
        assert_eq!(&text[evidence.start..evidence.end], "User unknown");
        assert_eq!(evidence.rule, "no-such-user");
    }

    #[test]
    fn blocklist_wins_over_other_words() {
        let text = "450 4.7.1 Client host [203.0.113.5] blocked using Trend Micro Network Anti-Spam Service";
        assert_eq!(classify(text, None).reason, Reason::Blocked);
    }

    #[test]
    fn status_code_is_the_fallback() {
        assert_eq!(classify("", Some("5.2.2")).reason, Reason::MailboxFull);
        assert_eq!(classify("something else", Some("4.4.7")).reason, Reason::Expired);
        assert_eq!(classify("", None).reason, Reason::Undefined);
        assert_eq!(by_status("9"), None);
    }
}
