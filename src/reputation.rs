//! Recognising blocklist and IP-reputation rejections: which provider, which of its lists, and
//! the sender's listed IP. The provider table is data, compiled once; the facts behind it are in
//! the project's reference on blocklists.

use std::net::IpAddr;
use std::sync::OnceLock;

use regex::bytes::{Regex, RegexSet};

use crate::pattern;

use crate::report::{Blocklist, Delivery, Reason};

/// How a listing ends and who can end it: this decides the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// The IP's owner asks on the provider's form.
    Request,
    /// Listings expire once the spam stops; there is nothing to ask.
    Automatic,
    /// No removal process at all; reputation recovers by itself.
    None,
    /// Only the recipient's administrator can lift it.
    Recipient,
    /// The list no longer exists; the receiver's configuration is stale.
    Defunct,
}

/// One blocklist or reputation provider.
pub struct Provider {
    pub id: &'static str,
    /// The name users know it by.
    pub name: &'static str,
    /// URLs and DNS zones of the provider's own: a reply that cites them belongs to it, whoever
    /// the receiver is.
    pub cites: &'static str,
    /// The receiver's own wording when it names no list URL.
    pub words: &'static str,
    /// Lookup page; `{ip}` is replaced by the IP where the provider accepts it in the URL.
    pub lookup: Option<&'static str>,
    pub delist: Option<&'static str>,
    pub removal: Removal,
}

/// The provider table, in the order the cited-URL pass and the wording pass try it.
pub static PROVIDERS: &[Provider] = &[
    Provider {
        id: "trendmicro-ers",
        name: "Trend Micro Email Reputation Services (ERS)",
        cites: r"mail-abuse\.(?:com|org)|ers\.trendmicro\.com|servicecentral\.trendmicro\.com|rbl-plus",
        words: r"trend ?micro|\bers-(?:qil|dul|rbl|kssl|etl|customized)|\brbl\+|email reputation (?:service|database)|network anti-spam service",
        lookup: Some("https://servicecentral.trendmicro.com/en-US/ers/ip-lookup/"),
        delist: Some("https://servicecentral.trendmicro.com/en-US/ers/ip-lookup/"),
        removal: Removal::Request,
    },
    Provider {
        id: "spamhaus",
        name: "Spamhaus",
        cites: r"spamhaus\.(?:org|net)|abuseat\.org|\bcbl\b",
        words: r"spamhaus",
        lookup: Some("https://check.spamhaus.org/results/?query={ip}"),
        delist: Some("https://check.spamhaus.org/results/?query={ip}"),
        removal: Removal::Request,
    },
    Provider {
        id: "barracuda",
        name: "Barracuda Reputation Block List (BRBL)",
        cites: r"barracudanetworks\.com|barracudacentral\.org|b\.barracudacentral",
        words: r"barracuda",
        lookup: Some("https://www.barracudacentral.org/lookups/lookup-reputation"),
        delist: Some("https://www.barracudacentral.org/rbl/removal-request"),
        removal: Removal::Request,
    },
    Provider {
        id: "spamcop",
        name: "SpamCop",
        cites: r"spamcop\.net",
        words: r"spamcop",
        lookup: Some("https://www.spamcop.net/bl.shtml?{ip}"),
        delist: None,
        removal: Removal::Automatic,
    },
    Provider {
        id: "sorbs",
        name: "SORBS (closed in June 2024)",
        cites: r"sorbs\.net",
        words: r"\bsorbs\b",
        lookup: None,
        delist: None,
        removal: Removal::Defunct,
    },
];

/// Where the sender's IP stands in a reply or a list's URL. The receiver's own address
/// (`host mx[IP] said:`) and previous hops are never in these shapes.
static SENDER_IP_PATTERNS: &[&str] = &[
    r"(?:ip_address|[?&]ip|[?&]q|query|ipr|value|search)=\[?([0-9a-f][0-9a-f.:]{5,44}[0-9a-f])",
    r"(?:lookup|bl\.shtml|/ip|reputation)[?/]([0-9a-f][0-9a-f.:]{5,44}[0-9a-f])",
    r"client host \[([0-9a-f][0-9a-f.:]{5,44}[0-9a-f])\]",
    r"(?:client|sending ip|the mail server|your ip|ip address|messages from|mail from|connection from|ip) \[?([0-9a-f][0-9a-f.:]{5,44}[0-9a-f])\]?",
    r"<\s*([0-9a-f][0-9a-f.:]{5,44}[0-9a-f])\s*>_is_blocked",
    r"\[([0-9a-f][0-9a-f.:]{5,44}[0-9a-f])\s+[0-9]+\]",
];

/// A list name as the reply states it, per provider.
static LIST_NAMES: &[(&str, &str, &str)] = &[
    ("trendmicro-ers", r"ers-qil|\bqil\b|quick ip list", "QIL"),
    ("trendmicro-ers", r"ers-dul|\bdul\b|dynamic user list", "DUL"),
    ("trendmicro-ers", r"ers-customized-block|customized-block", "Customized-Block"),
    ("trendmicro-ers", r"\brbl\+|rbl-plus|rbl plus", "RBL+"),
    ("trendmicro-ers", r"ers-rbl|\bkssl\b", "RBL"),
    ("spamhaus", r"\bzen\.spamhaus", "ZEN"),
    ("spamhaus", r"\bsbl\b", "SBL"),
    ("spamhaus", r"\bxbl\b", "XBL"),
    ("spamhaus", r"\bpbl\b", "PBL"),
    ("spamhaus", r"\bcss\b", "CSS"),
    ("spamhaus", r"\bdbl\b", "DBL"),
];

struct Compiled {
    cites: Vec<Regex>,
    words: Vec<Regex>,
    sender_ip: Vec<Regex>,
    lists: Vec<(&'static str, Regex, &'static str)>,
    generic_zone: Regex,
    blocklist_words: RegexSet,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let re = pattern::compile;
        Compiled {
            cites: PROVIDERS.iter().map(|p| re(p.cites)).collect(),
            words: PROVIDERS.iter().map(|p| re(p.words)).collect(),
            sender_ip: SENDER_IP_PATTERNS.iter().map(|p| re(p)).collect(),
            lists: LIST_NAMES.iter().map(|&(id, p, name)| (id, re(p), name)).collect(),
            generic_zone: re(r"(?:blocked using|listed (?:in|on|at)|rejected by|found in) ([a-z0-9-]+(?:\.[a-z0-9-]+)+)"),
            blocklist_words: pattern::compile_set([r"block ?list", r"black ?list", r"\brbl\b", r"\bdnsbl\b"]),
        }
    })
}

/// The provider with that id.
pub fn provider(id: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.id == id)
}

/// Reasons that are never a reputation block, whatever the text mentions.
fn never_a_block(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::UserUnknown
            | Reason::HostUnknown
            | Reason::MailboxFull
            | Reason::AuthFailure
            | Reason::NoRelaying
            | Reason::SpamDetected
            | Reason::TooManyConn
            | Reason::Speeding
    )
}

/// Fills `blocklist` for a delivery whose server's words name a blocklist or reputation block.
pub fn recognise(delivery: &mut Delivery) {
    if never_a_block(delivery.reason) {
        return;
    }
    let Some(text) = delivery.diagnostic.as_deref() else { return };
    let lower = text.to_ascii_lowercase();
    let table = compiled();
    let found = table
        .cites
        .iter()
        .position(|re| re.is_match(lower.as_bytes()))
        .or_else(|| table.words.iter().position(|re| re.is_match(lower.as_bytes())));
    let ip = sender_ip(&lower, delivery.remote_mta.as_deref());
    let blocklist = match found {
        Some(index) => {
            let provider = &PROVIDERS[index];
            let list = table.lists.iter().find(|(id, re, _)| *id == provider.id && re.is_match(lower.as_bytes())).map(|(_, _, name)| (*name).to_owned());
            Blocklist {
                provider: provider.id.to_owned(),
                list,
                lookup_url: provider.lookup.map(|url| fill_ip(url, ip.as_deref())),
                delist_url: provider.delist.map(|url| fill_ip(url, ip.as_deref())),
                retired_url: retired_url(&lower, text),
                ip,
            }
        }
        None => {
            let Some(zone) = table.generic_zone.captures(lower.as_bytes()).map(|c| pattern::as_text(&c[1]).trim_end_matches('.').to_owned()) else { return };
            let named_as_list = table.blocklist_words.is_match(lower.as_bytes()) || lower.contains("blocked using");
            if !named_as_list || zone.parse::<IpAddr>().is_ok() {
                return;
            }
            Blocklist { provider: "generic-dnsbl".to_owned(), list: Some(zone), ip, lookup_url: None, delist_url: None, retired_url: None }
        }
    };
    delivery.reason = Reason::Blocked;
    delivery.blocklist = Some(blocklist);
}

/// The sender's IP in a reply, if one of the known shapes names it. `remote_mta` is excluded.
pub fn sender_ip(lower: &str, remote_mta: Option<&str>) -> Option<String> {
    let table = compiled();
    table.sender_ip.iter().find_map(|re| {
        re.captures_iter(lower.as_bytes()).find_map(|caps| {
            let ip: IpAddr = pattern::as_text(&caps[1]).parse().ok()?;
            let text = ip.to_string();
            (remote_mta.is_none_or(|mta| !mta.contains(&text))).then_some(text)
        })
    })
}

/// A portal URL the bounce cites that has been shut down, to be named but never linked.
fn retired_url(lower: &str, original: &str) -> Option<String> {
    const RETIRED: &[&str] = &["http://www.mail-abuse.com", "https://www.mail-abuse.com", "http://mail-abuse.com", "http://mail-abuse.org", "https://ers.trendmicro.com", "http://ers.trendmicro.com"];
    let start = RETIRED.iter().filter_map(|prefix| lower.find(prefix)).min()?;
    let end = original[start..].find(|c: char| c.is_whitespace() || c == ';' || c == '>' || c == ')').map_or(original.len(), |i| start + i);
    Some(original[start..end].trim_end_matches(['.', ',']).to_owned())
}

fn fill_ip(template: &str, ip: Option<&str>) -> String {
    match (template.contains("{ip}"), ip) {
        (true, Some(ip)) => template.replace("{ip}", ip),
        (true, None) => template.split(['?', '{']).next().unwrap_or(template).to_owned(),
        (false, _) => template.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recognised(diagnostic: &str) -> Delivery {
        let mut delivery = Delivery { diagnostic: Some(diagnostic.to_owned()), reason: Reason::Blocked, ..Delivery::default() };
        recognise(&mut delivery);
        delivery
    }

    #[test]
    fn seed_trend_micro_wording() {
        let d = recognised("450 4.7.1 Service temporarily unavailable; Client host [203.0.113.5] blocked using Trend Micro Network Anti-Spam Service. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.5; Mail from 203.0.113.5 deferred using Trend Micro Email Reputation database.");
        let bl = d.blocklist.unwrap();
        assert_eq!(bl.provider, "trendmicro-ers");
        assert_eq!(bl.ip.as_deref(), Some("203.0.113.5"));
        assert_eq!(bl.lookup_url.as_deref(), Some("https://servicecentral.trendmicro.com/en-US/ers/ip-lookup/"));
        assert_eq!(bl.retired_url.as_deref(), Some("http://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.5"));
    }

    #[test]
    fn list_names_and_cited_urls() {
        let d = recognised("554 5.7.1 Recipient address rejected: ERS-QIL.");
        assert_eq!(d.blocklist.unwrap().list.as_deref(), Some("QIL"));
        let d = recognised("553 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.9");
        let bl = d.blocklist.unwrap();
        assert_eq!((bl.provider.as_str(), bl.list.as_deref(), bl.ip.as_deref()), ("spamhaus", Some("ZEN"), Some("192.0.2.9")));
        assert_eq!(bl.lookup_url.as_deref(), Some("https://check.spamhaus.org/results/?query=192.0.2.9"));
    }

    #[test]
    fn unknown_zone_is_a_generic_dnsbl() {
        let d = recognised("554 5.7.1 Service unavailable; Client host [203.0.113.22] blocked using bl.example.net; listed");
        let bl = d.blocklist.unwrap();
        assert_eq!((bl.provider.as_str(), bl.list.as_deref(), bl.ip.as_deref()), ("generic-dnsbl", Some("bl.example.net"), Some("203.0.113.22")));
    }

    #[test]
    fn other_failures_are_never_blocks() {
        let mut d = Delivery { diagnostic: Some("550 5.1.1 User unknown (Trend Micro)".into()), reason: Reason::UserUnknown, ..Delivery::default() };
        recognise(&mut d);
        assert!(d.blocklist.is_none());
    }

    #[test]
    fn ipv6_and_receiver_exclusion() {
        assert_eq!(sender_ip("banned sending ip [2001:db8:1234::25]", None).as_deref(), Some("2001:db8:1234::25"));
        assert_eq!(sender_ip("client host [192.0.2.1] blocked", Some("192.0.2.1")), None);
    }
}
