//! Refusals that cite a list or a provider but are not a listing of the sender's IP: what the
//! reply says decides who must act, so the plan follows it instead of a delisting plan. Each row
//! names its documentation source (the project's reference on blocklists, "Updates (November
//! 2026)", which quotes the providers' pages).

use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::pattern;

/// What a refusal that is not an IP listing means for the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The recipient's server asks the list through a public resolver and gets refused: only the
    /// recipient's administrator can fix it.
    OpenResolver,
    /// A refusal of this one message by the receiver's policy or content filter, not a listing.
    MessagePolicy,
    /// The sender's own mail system or tenant is restricted: the sender's administrator acts.
    SenderAccount,
    /// The sender's own provider's outbound filter refused the mail: the sender's administrator
    /// or provider acts; nothing is listed.
    SenderOutbound,
    /// The recipient's own block rule, not a global list.
    RecipientBlock,
    /// A deferral for the sender's reputation: the receiver names unsolicited mail, complaints or
    /// unexpected volume, so sending slower is only half of it (list hygiene, complaints and
    /// authentication are the other half).
    ReputationLimit,
    /// A deferral that slows the sending IP down for now without naming its reputation (a
    /// throttle): send slower; the server's own retries get through.
    Throttle,
}

impl Refusal {
    /// The cause's id: the report's `cause`, the catalogues' `cause.<id>` and the key of a
    /// step's wording for this refusal.
    pub fn id(self) -> &'static str {
        match self {
            Refusal::OpenResolver => "open-resolver",
            Refusal::MessagePolicy => "message-policy",
            Refusal::SenderAccount => "sender-account",
            Refusal::SenderOutbound => "sender-outbound",
            Refusal::RecipientBlock => "recipient-block",
            Refusal::ReputationLimit => "reputation-limit",
            Refusal::Throttle => "throttle",
        }
    }
}

struct Row {
    refusal: Refusal,
    pattern: &'static str,
}

/// Patterns run on the ASCII-lowercased reply, continuation prefixes removed.
const ROWS: &[Row] = &[
    // Spamhaus "returnc" pages and answer codes 127.255.255.252-255: the query itself was refused
    // (blocklists.md, Spamhaus; Spamhaus's "returnc" error pages).
    Row { refusal: Refusal::OpenResolver, pattern: r"spamhaus\.org/returnc|\bopen resolver\b|\b127\.255\.255\.25[2-5]\b|\bquery refused\b" },
    // Apple iCloud [CS01] / [HM08]: per-message policy refusals (Apple's postmaster page 102322,
    // blocklists.md iCloud).
    Row { refusal: Refusal::MessagePolicy, pattern: r"\[(?:cs01|hm08)\]" },
    // Microsoft 5.7.700-5.7.750: the sending tenant is restricted (Microsoft's page "Fix email
    // delivery issues for error codes 5.7.700 through 5.7.750").
    Row { refusal: Refusal::SenderAccount, pattern: r"\b5\.7\.(?:7[0-4][0-9]|750)\b" },
    // The sending side's own outbound filter: Trend Micro Email Security / Hosted Email Security
    // suspends a customer's outbound filtering for spam (Trend's article "Outbound IP address
    // blocked by Hosted Email Security (HES) and Trend Micro Email Security"; blocklists.md, Trend
    // Micro ERS update: "the sender's provider's block"), and outbound spam filters word their
    // refusals as an outbound policy or filter (Trend's HES administrator's guide, "Outbound
    // Message Protection"; Microsoft's "outbound spam policy" that holds a sender past its
    // sending limits, Microsoft's page "Configure outbound spam filtering in EOP").
    // The structure decides, not one wording: a receiver filters what comes *in*, so a reply
    // whose refusing filter, policy, threshold or limit is called *outbound* was written by the
    // sender's own provider refusing to send the mail out, whatever product name stands between
    // ("rejected by Trend Micro Email Security outbound filtering", "exceeded outbound spam
    // thresholds": try6 case 121). "Outbound" naming a relay or a queue (AOL's "Outbound Mail
    // Relay" in sisimai rhost-aol) is no refusal and does not count.
    Row {
        refusal: Refusal::SenderOutbound,
        pattern: r"\boutbound (?:spam |mail |message |e-?mail )?(?:filter(?:s|ing)?|polic(?:y|ies)|thresholds?|limits?|protection)\b|\boutbound spam\b",
    },
    // Microsoft 5.7.513: the recipient tenant's Customer Block list (Microsoft NDR 5.7.513 page);
    // Mimecast's "Administrative prohibition - envelope blocked": the recipient organisation's
    // Blocked Senders policy refused the envelope (Mimecast's SMTP error code page, DOC-1369, and
    // its "Managing Blocked Senders" article), not a public listing.
    Row { refusal: Refusal::RecipientBlock, pattern: r"\b5\.7\.513\b|customer block ?list|administrative prohibition - envelope blocked" },
    // Gmail 4.7.28 and its permanent 5.7.28 ("unusual rate of unsolicited mail": rate or spam
    // limits by IP or SPF/DKIM domain) and Yahoo [TSS04] ("unexpected volume or user
    // complaints"): reputation limits, not plain speed limits (Google's SMTP error reference,
    // answer 3726730; Yahoo's smtp-error-codes page; blocklists.md, Updates: "Since November 2025
    // enforcement includes permanent (5xx) rejections").
    Row { refusal: Refusal::ReputationLimit, pattern: r"\b[45]\.7\.28\b|\[tss04\]" },
    // Outlook.com / Exchange Online "451 4.7.500 Server busy. Please try again later from [IP].
    // (S77714)" and its S77719 sibling: Microsoft throttling the sending IP, a deferral to send
    // slower, not a listing (suped.com's and bentonow.com's pages on the two tokens).
    Row { refusal: Refusal::Throttle, pattern: r"\(s7771[0-9]\)" },
];

fn compiled() -> &'static [Regex] {
    static COMPILED: OnceLock<Vec<Regex>> = OnceLock::new();
    COMPILED.get_or_init(|| ROWS.iter().map(|row| pattern::compile(row.pattern)).collect())
}

/// The refusal the reply names, if it is one of these.
pub fn of(lower: &str) -> Option<Refusal> {
    ROWS.iter().zip(compiled()).find(|(_, re)| re.is_match(lower.as_bytes())).map(|(row, _)| row.refusal)
}

/// The reply says the listed address is the provider's network, not the sender's own
/// (Outlook.com S3140: "Please contact your Internet service provider since part of their network
/// is on our block list"; blocklists.md, Microsoft).
pub fn provider_network(lower: &str) -> bool {
    PROVIDER_NETWORK.get().is_match(lower.as_bytes())
}

static PROVIDER_NETWORK: pattern::Lazy = pattern::Lazy::new(r"part of their network is on our block ?list|contact your internet service provider");

/// The reply says the sending IP is rate limited for now, as a reputation deferral may
/// (Microsoft's "451 4.7.650 The mail server [IP] has been temporarily rate limited due to IP
/// reputation", blocklists.md Microsoft update and the contract's "4.7.650 rate limits"; Gmail's
/// 4.7.28 "... has been temporarily rate limited", blocklists.md Gmail update): sending slower is
/// part of the plan beside the provider's reputation steps.
pub fn rate_limited(lower: &str) -> bool {
    RATE_LIMITED.get().is_match(lower.as_bytes())
}

static RATE_LIMITED: pattern::Lazy = pattern::Lazy::new(r"\brate[- ]limit(?:ed|ing)?\b");

/// A domain list (Spamhaus DBL, URIBL, SURBL) or wording that a domain, not an IP, is listed
/// (blocklists.md, Spamhaus DBL: "... listed in dbl.spamhaus.org", "domain ... is listed").
pub fn domain_listing(lower: &str) -> bool {
    DOMAIN_LISTING.get().is_match(lower.as_bytes())
}

static DOMAIN_LISTING: pattern::Lazy =
    pattern::Lazy::new(r"\bdbl\.spamhaus|\bspamhaus dbl\b|\bmulti\.uribl\.com|\buribl\b|\bsurbl\b|\bdomain (?:name )?(?:is |was )?(?:black ?|block ?)?listed|/query/domain/");

/// The listed domain where the reply names it: Spamhaus's `/query/domain/NAME` link or
/// `NAME blocked using dbl...` (Postfix reject_rhsbl_* wording, postconf(5)).
pub fn listed_domain(lower: &str) -> Option<String> {
    let caps = LISTED_DOMAIN.get().captures(lower.as_bytes())?;
    caps.get(1).or_else(|| caps.get(2)).map(|m| pattern::as_text(m.as_bytes()).trim_end_matches('.').to_owned())
}

static LISTED_DOMAIN: pattern::Lazy = pattern::Lazy::new(
    r"/query/domain/([a-z0-9.-]+\.[a-z]{2,})|(?:@|<|\[|\s)([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})>?\]?:?\s+(?:is\s+)?(?:blocked|listed)\s+(?:using|in|on|at)\s+(?:[a-z0-9-]+\.)*(?:dbl|uribl|surbl)\b",
);

/// The patterns, compiled ahead of a first message (see [`crate::prepare`]).
pub fn prepare() {
    compiled();
    for pattern in [&PROVIDER_NETWORK, &DOMAIN_LISTING, &LISTED_DOMAIN, &RATE_LIMITED] {
        pattern.get();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_is_told_by_its_documented_words() {
        let of = |reply: &str| of(&reply.to_ascii_lowercase());
        assert_eq!(of("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; Error: open resolver; https://www.spamhaus.org/returnc/pub/192.0.2.53"), Some(Refusal::OpenResolver));
        assert_eq!(of("554 5.7.1 [CS01] Message rejected due to local policy."), Some(Refusal::MessagePolicy));
        assert_eq!(of("550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP."), Some(Refusal::SenderAccount));
        assert_eq!(of("550 5.7.513 Service unavailable, Client host [192.0.2.1] blocked by recipient using Customer Block list (AS16012607)"), Some(Refusal::RecipientBlock));
        assert_eq!(of("421-4.7.28 Our system has detected an unusual rate of unsolicited mail"), Some(Refusal::ReputationLimit));
        // The sender's own provider refusing to send out, however the product is named between.
        assert_eq!(of("550 5.7.1 Message rejected by Trend Micro Email Security outbound filtering."), Some(Refusal::SenderOutbound));
        assert_eq!(of("550 5.7.1 The sending account has exceeded outbound spam thresholds."), Some(Refusal::SenderOutbound));
        assert_eq!(of("554 5.7.1 Message blocked by the outbound policy of your provider"), Some(Refusal::SenderOutbound));
        assert_eq!(of("Diagnostic-Code: X-Outbound-Mail-Relay; Host or domain name not found"), None);
        assert_eq!(of("550 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org"), None);
    }

    #[test]
    fn domain_listings_and_their_domain() {
        let lower = "554 5.7.1 <bad.example>: sender address rejected: bad.example blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/bad.example".to_owned();
        assert!(domain_listing(&lower));
        assert_eq!(listed_domain(&lower).as_deref(), Some("bad.example"));
        let postfix = "554 5.7.1 service unavailable; sender address [taro@bad.example] blocked using dbl.spamhaus.org";
        assert_eq!(listed_domain(postfix).as_deref(), Some("bad.example"));
        assert!(domain_listing("550 5.7.1 service unavailable, mailfrom domain is listed in spamhaus."));
        assert!(!domain_listing("550 client host [192.0.2.1] blocked using zen.spamhaus.org"));
    }
}
