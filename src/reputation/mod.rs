//! Recognising blocklist and IP-reputation rejections: which provider, which of its lists, and
//! the sender's listed IP. The provider table is data ([`providers`]), compiled once; the sender's
//! IP is told apart from the other addresses of a bounce in [`sender_ip`]; [`relay`] tells when
//! the mail left through someone else's server.

pub mod providers;
pub mod refusal;
pub mod relay;
pub mod sender_ip;

use std::cell::OnceCell;
use std::net::IpAddr;
use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::message::Mail;
use crate::pattern;
use crate::report::{Blocklist, Delivery, Reason};

pub use providers::{GENERIC_DNSBL, ListKind, PROVIDERS, Provider, Removal, Source, localised_url, provider};
pub use sender_ip::Decoys;

/// What the whole message tells beyond one delivery's words: the addresses that are never the
/// sender's, and the returned message's header block.
#[derive(Debug, Default, Clone)]
pub struct Context<'a> {
    mail: Option<&'a Mail>,
    /// Collected from the whole message only once a delivery turns out to be a block: most
    /// bounces are not, and the scan costs more than the rest of the recognition.
    decoys: OnceCell<Decoys>,
    pub returned_headers: Option<&'a str>,
}

impl<'a> Context<'a> {
    pub fn of(mail: &'a Mail, notice: &str) -> Context<'a> {
        // Text bounces (qmail, Exim, Sendmail) quote the returned message after the notice.
        let inline_copy = mail.body.get(notice.len()..).filter(|rest| !rest.trim().is_empty());
        Context { mail: Some(mail), decoys: OnceCell::new(), returned_headers: mail.returned_headers.as_deref().or(inline_copy) }
    }

    /// The addresses of the message that are never the sender's listed IP.
    pub fn decoys(&self) -> &Decoys {
        self.decoys.get_or_init(|| self.mail.map(Decoys::of).unwrap_or_default())
    }
}

/// The provider table's patterns compile on first use (a message reaches few providers' lists).
struct Compiled {
    cites: Vec<Option<pattern::Lazy>>,
    words: Vec<Option<pattern::Lazy>>,
    lists: Vec<Vec<pattern::Lazy>>,
    zone: Regex,
    list_words: Regex,
    dynamic: Regex,
    reputation_cue: Regex,
    continuation: Regex,
    service: Regex,
    ip_reputation: Regex,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    let optional = |p: &'static str| (!p.is_empty()).then(|| pattern::Lazy::new(p));
    COMPILED.get_or_init(|| Compiled {
        cites: PROVIDERS.iter().map(|p| optional(p.cites)).collect(),
        words: PROVIDERS.iter().map(|p| optional(p.words)).collect(),
        lists: PROVIDERS.iter().map(|p| p.lists.iter().map(|l| pattern::Lazy::new(l.pattern)).collect()).collect(),
        zone: pattern::compile(
            r"(?:blocked using|(?:black|block)? ?listed (?:in|on|at|by)(?: the)?|found (?:in|on)|(?:refused|rejected|blocked) by|(?:dnsbl|rbl|block ?list|black ?list)(?: (?:at|of|on|in|by))?[: ]+)\s*\(?([a-z0-9-]+(?:\.[a-z0-9-]+)+)",
        ),
        list_words: pattern::compile(r"block ?list|black ?list|\brbl\b|\bdnsbl\b|blocked using|\blisted\b"),
        dynamic: pattern::compile(r"dynamic(?:ally)?[- ](?:assigned )?(?:ip|address|range|pool)|\bresidential\b|\bdial-?up\b"),
        continuation: pattern::compile(r"\s[245][0-9]{2}[- ][245]\.[0-9]{1,3}\.[0-9]{1,3}\s+"),
        // An unknown list named as a service: "was blocked by ROTA DNSBL" (seen in public/
        // bounce_email tt_bounce_06; Postfix postscreen's "blocked by <list>" form).
        service: pattern::compile(r"(?i)\b(?:blocked|listed|rejected) (?:by|at|in|on) (?:the )?([a-z0-9][a-z0-9-]*(?: [a-z0-9-]+)? (?:dnsbl|rbl))\b"),
        // A receiver's own reputation verdict on the IP it names as the sender's ("Your IP
        // 203.0.113.57 address has a bad reputation": field/hornetsecurity, Hornetsecurity's
        // help page on 5.5.4): an unknown list, named by the IP only.
        ip_reputation: pattern::compile(r"\byour ip\b.{0,60}\b(?:bad|poor|low) reputation|\b(?:bad|poor|low) reputation\b.{0,40}\byour ip\b"),
        reputation_cue: pattern::compile(r"reputation|complaint|\blisted\b|block ?list|black ?list|\brbl\b|\bdnsbl\b|\bblocked\b|\bbanned\b"),
    })
}

/// Outlook.com's consumer service runs on Exchange Online's servers and prints its codes
/// (4.7.500, 4.7.650), so a reply with only those reads as `microsoft-365`; its own marks tell it
/// apart: an S3xxx block code or its postmaster site in the reply (see the `microsoft-outlook`
/// row), its consumer MX hosts under `olc.protection.outlook.com` (the MX of hotmail.com,
/// outlook.com, live.com: `hotmail-com.olc.protection.outlook.com`, `eur.olc...`), or a recipient
/// at one of its consumer domains (blocklists.md, Microsoft: Outlook.com consumer → the
/// olcsupport form). A reply that cites Exchange Online's own removal (sender.office.com) stays
/// Exchange Online's.
static OUTLOOK_CONSUMER_REPLY: pattern::Lazy = pattern::Lazy::new(r"\ba?s3[0-9]{3}\b|postmaster\.live\.com|aka\.ms/postmaster");
static OUTLOOK_CONSUMER_HOST: pattern::Lazy = pattern::Lazy::new(r"(?:^|\.)olc\.protection\.outlook\.com\.?$|(?:^|\.)hotmail\.com\.?$");
static OUTLOOK_CONSUMER_DOMAIN: pattern::Lazy =
    pattern::Lazy::new(r"^(?:hotmail|outlook|live|windowslive)\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$|^(?:msn|passport)\.com$");
static EXCHANGE_ONLINE_REMOVAL: pattern::Lazy = pattern::Lazy::new(r"sender\.office\.com|delist@messaging\.microsoft\.com");

/// Whether a reply `mentions` gave to Exchange Online is Outlook.com's consumer service.
fn outlook_consumer(lower: &str, delivery: &Delivery) -> bool {
    if EXCHANGE_ONLINE_REMOVAL.get().is_match(lower.as_bytes()) {
        return false;
    }
    let host = delivery.remote_mta.as_deref().map(str::to_ascii_lowercase).unwrap_or_default();
    let domain = delivery.recipient.as_deref().and_then(|r| r.rsplit_once('@')).map(|(_, d)| d.to_ascii_lowercase()).unwrap_or_default();
    OUTLOOK_CONSUMER_REPLY.get().is_match(lower.as_bytes())
        || OUTLOOK_CONSUMER_HOST.get().is_match(host.trim().as_bytes())
        || OUTLOOK_CONSUMER_DOMAIN.get().is_match(domain.trim().as_bytes())
}

/// Gmail's own words in a reply (see [`receiver_provider`]).
static GMAIL: pattern::Lazy = pattern::Lazy::new(r"\bgsmtp\b|\bgmail (?:requires|has detected)\b");

/// How many parts [`prepare`] takes: the shared patterns, the sender-IP shapes, then one part
/// per provider.
pub fn prepare_parts() -> usize {
    2 + PROVIDERS.len()
}

/// Part `part` of the patterns, compiled ahead of a first message (see [`crate::prepare`]).
pub fn prepare(part: usize) {
    let table = compiled();
    match part {
        0 => {
            GMAIL.get();
            for lazy in [&OUTLOOK_CONSUMER_REPLY, &OUTLOOK_CONSUMER_HOST, &OUTLOOK_CONSUMER_DOMAIN, &EXCHANGE_ONLINE_REMOVAL, &OUTSIDE_LISTS] {
                lazy.get();
            }
            refusal::prepare();
        }
        1 => sender_ip::prepare(),
        _ => {
            let index = part - 2;
            let patterns = table.cites.get(index).into_iter().chain(table.words.get(index)).flatten();
            for pattern in patterns.chain(table.lists.get(index).into_iter().flatten()) {
                pattern.get();
            }
        }
    }
}

/// Reasons that are never a reputation block, whatever else the text mentions.
fn never_a_block(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::UserUnknown
            | Reason::HostUnknown
            | Reason::HasMoved
            | Reason::MailboxFull
            | Reason::ExceedLimit
            | Reason::MesgTooBig
            | Reason::Suspend
            | Reason::AuthFailure
            | Reason::NoRelaying
            | Reason::VirusDetected
    )
}

/// Reasons that are a block only when the text also speaks of reputation or a list: content spam
/// and plain connection or rate limits are not.
fn needs_reputation_cue(reason: Reason) -> bool {
    matches!(reason, Reason::SpamDetected | Reason::TooManyConn | Reason::Speeding)
}

/// Reasons of their own that a receiver's wording does not turn into a block; only a cited list
/// does (a missing reverse DNS name is not a listing, a list of such IPs is).
fn needs_a_cited_list(reason: Reason) -> bool {
    matches!(reason, Reason::RequirePtr)
}

/// A provider found in a reply, and where.
#[derive(Debug, Clone, Copy)]
struct Mention {
    index: usize,
    position: usize,
    weight: u8,
}

/// Every provider the reply mentions, strongest first: a list's citation outweighs a receiver's
/// own wording (Yahoo citing Spamhaus is Spamhaus); among equals the earliest mention wins. A
/// receiver's error-page URL alone is no block (it is printed on all its refusals): it counts
/// only with words of reputation or blocking.
fn mentions(lower: &str) -> Vec<Mention> {
    let table = compiled();
    let cue = table.reputation_cue.is_match(lower.as_bytes());
    let found: Vec<Mention> = PROVIDERS
        .iter()
        .enumerate()
        .filter_map(|(index, provider)| {
            let at = |re: &Option<pattern::Lazy>| re.as_ref().and_then(|re| re.get().find(lower.as_bytes())).map(|m| m.start());
            let worded = at(&table.words[index]);
            let cited = at(&table.cites[index]).filter(|_| provider.source == Source::List || cue);
            let position = cited.into_iter().chain(worded).min()?;
            let weight = match provider.source {
                Source::List => 0,
                Source::Receiver => 1,
            };
            Some(Mention { index, position, weight })
        })
        .collect();
    crate::sort_by_rank(found, |m| (m.weight, m.position))
}

/// An unknown list's DNS zone as the reply names it (`blocked using bl.example.net`).
/// The receiver's own names (its MX, the recipient's domain) are never the zone: a reply saying
/// `rejected by mx.example.com` or `blacklisted by example.com` names the receiver's own rule.
fn generic_zone(lower: &str, receiver_names: &[&str]) -> Option<String> {
    let table = compiled();
    if !table.list_words.is_match(lower.as_bytes()) {
        return None;
    }
    table.zone.captures_iter(lower.as_bytes()).find_map(|caps| {
        let zone = pattern::as_text(&caps[1]).trim_end_matches('.').to_owned();
        let is_ip = zone.parse::<IpAddr>().is_ok();
        let is_receiver = receiver_names.iter().any(|name| {
            let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
            !name.is_empty() && (name == zone || name.ends_with(&format!(".{zone}")) || zone.ends_with(&format!(".{name}")))
        });
        let has_alpha_tld = zone.rsplit('.').next().is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
        (!is_ip && !is_receiver && has_alpha_tld).then_some(zone)
    })
}

/// Fills `blocklist` for a delivery whose server's words name a blocklist or reputation block.
pub fn recognise(delivery: &mut Delivery, context: &Context) {
    if never_a_block(delivery.reason) {
        return;
    }
    let Some(text) = delivery.diagnostic.as_deref() else { return };
    let table = compiled();
    let text_lower = text.to_ascii_lowercase();
    let refusal = refusal::of(&text_lower);
    // A throttle slows the sending IP down for now and lists nothing: the contract's `speeding`
    // ("sending too fast: a rate limit"), with no blocklist, whatever provider's codes it prints.
    if refusal == Some(refusal::Refusal::Throttle) {
        delivery.reason = Reason::Speeding;
        return;
    }
    let lower = unwrapped(&text_lower);
    let found = mentions(&lower);
    let cites_a_list = found.first().is_some_and(|m| PROVIDERS[m.index].source == Source::List);
    // Receivers' own wording is specific to reputation blocks, and their bare error-page URLs
    // were already held to a cue in `mentions`: only an unknown list needs the cue here.
    if needs_reputation_cue(delivery.reason) && found.is_empty() && !table.reputation_cue.is_match(lower.as_bytes()) {
        return;
    }
    if needs_a_cited_list(delivery.reason) && !cites_a_list {
        return;
    }
    // Trend Micro Email Security's (Hosted Email Security's) outbound filtering refuses mail the
    // sender's own provider passes out: the sender's provider's block, not a listing of anyone's
    // (blocklists.md, Trend Micro ERS update; Trend's article "Outbound IP address blocked by
    // Hosted Email Security (HES) and Trend Micro Email Security", which suspends a customer's
    // outbound filtering for spam). The sender's own system refused it: the contract's
    // `policyviolation`, acted on by the sender's mail administrator; no blocklist.
    if refusal::of(&lower) == Some(refusal::Refusal::SenderOutbound) {
        delivery.reason = Reason::PolicyViolation;
        return;
    }
    // The message's other addresses: read from the whole message, so only once a verdict may
    // need them (most deliveries name no list and never do).
    let decoys_of = || {
        let mut decoys = context.decoys().clone();
        if let Some(mta) = &delivery.remote_mta {
            decoys.add_text_ips(mta);
        }
        decoys
    };
    let (provider, list) = match found.first() {
        Some(mention) => {
            let provider = &PROVIDERS[mention.index];
            let id = if provider.id == "microsoft-365" && outlook_consumer(&lower, delivery) { "microsoft-outlook" } else { provider.id };
            (id, list_named(mention.index, &lower).map(|l| l.name.to_owned()))
        }
        None => match generic_zone(&lower, &receiver_names(delivery)).or_else(|| generic_service(text)) {
            Some(zone) => (GENERIC_DNSBL, Some(zone)),
            // Gmail's reputation verdict whose reply lost its `gsmtp` tail (a Diagnostic-Code cut
            // at the first line) is still Gmail's when the DSN names Gmail's MX as Remote-MTA,
            // and a verdict from Broadcom's MX is Broadcom's (see `reputation_receiver`): the
            // receiver is known, so it is no unknown list's.
            None if lower.contains("reputation") && let Some(receiver) = reputation_receiver(delivery, &lower) => (receiver, None),
            None if table.ip_reputation.is_match(lower.as_bytes()) || named_ip_verdict(text, &lower, decoys_of) => (GENERIC_DNSBL, None),
            None => return,
        },
    };
    // A domain list lists a domain, not the sending IP.
    let domain_listing = refusal::domain_listing(&lower);
    let ip = if domain_listing { None } else { sender_ip::find(text, &decoys_of()) };
    if provider == GENERIC_DNSBL && list.is_none() && ip.is_none() {
        return;
    }
    let list = match list {
        None if domain_listing && provider == "spamhaus" => Some("DBL".to_owned()),
        list => list,
    };
    let template = providers::provider(provider);
    // The mail left through someone else's server: the returned message's headers show it, or
    // the listed IP lies in a mail provider's published shared outbound range.
    let relay = context
        .returned_headers
        .and_then(|headers| relay::outside_relay(headers, ip.as_deref()))
        .or_else(|| ip.as_deref().and_then(relay::shared_outbound).map(str::to_owned));
    // The classifier's finer answer stands where it already names the same family of refusal
    // (poor reputation, a refused sender, missing reverse DNS, a policy); anything else a list
    // refused is `blocked`.
    if !matches!(delivery.reason, Reason::BadReputation | Reason::Rejected | Reason::RequirePtr | Reason::PolicyViolation) {
        delivery.reason = Reason::Blocked;
    }
    delivery.blocklist = Some(Blocklist {
        provider: provider.to_owned(),
        list,
        lookup_url: template.and_then(|p| p.lookup).map(|url| fill_ip(url, ip.as_deref())),
        delist_url: template.and_then(|p| p.delist).map(|url| fill_ip(url, ip.as_deref())),
        retired_url: retired_url(&text_lower, text),
        relay,
        ip,
        domain: domain_listing.then(|| refusal::listed_domain(&lower)).flatten(),
    });
    // A refusal that lists nothing (a policy refusal, a restricted sending tenant, a reputation
    // deferral, the recipient's own block) has nothing to delist: the report gives no form. Nor
    // does a list the recipient's administrator keeps (blocklists.md: ERS-Customized-Block is
    // "not a global listing; nothing to delist"): the provider's portal cannot remove it.
    let recipients_own = list_kind(delivery) == ListKind::RecipientOwn;
    if (recipients_own || refusal.is_some())
        && let Some(blocklist) = &mut delivery.blocklist
    {
        blocklist.delist_url = None;
    }
}

/// A receiver's own verdict on the sender's IP that names no list: the reply speaks of
/// reputation or a listing and names the IP where the sender's is written (`sending IP IP`,
/// `Client host [IP]`, a lookup URL's `?ip=IP`), never a bare address. Seen as GMX's "IP address
/// is black listed ... senderguidelines?ip=IP&c=bl", Zoho's "rejected due to poor reputation of
/// the sending IP IP" and Broadcom's list of third-party rejections ("Rejecting mail, <IP> is
/// blacklisted", "Message rejected due to sender IP reputation ([IP])"): an unknown list, named
/// by the IP only (blocklists.md: never invent a portal).
fn named_ip_verdict(text: &str, lower: &str, decoys_of: impl Fn() -> Decoys) -> bool {
    let table = compiled();
    let speaks = lower.contains("reputation") || table.list_words.is_match(lower.as_bytes());
    speaks && sender_ip::named(text, &decoys_of()).is_some()
}

/// Google's "Email sender guidelines", the page Gmail's own replies point to for 4.7.28, 5.7.26
/// and 5.7.1 refusals (Google Workspace Admin Help, answer 81126; Gmail Help's answer 81126 is
/// the same page). Gmail has no lookup or removal form, so this is its page for senders.
pub const GMAIL_SENDER_GUIDELINES: &str = "https://support.google.com/a/answer/81126";

/// The provider's page for senders, for a step where no lookup or removal applies: its support
/// or removal route, or Gmail's sender guidelines.
pub fn sender_page(provider_id: &str) -> Option<&'static str> {
    match provider_id {
        "gmail" => Some(GMAIL_SENDER_GUIDELINES),
        id => providers::provider(id)?.delist.filter(|url| !url.contains("{ip}")),
    }
}

/// The provider whose page a step may link: the delivery's listing, else Gmail when the reply
/// is Gmail's own (its replies end in "- gsmtp", Google's SMTP error reference; its MX hosts are
/// under google.com; "Gmail requires" / "Gmail has detected" open its 5.7.26 and 4.7.28 / 5.7.1
/// replies, seen in field/gmail-571-unsolicited and trial 08/09).
pub fn receiver_provider(delivery: &Delivery) -> Option<&'static str> {
    if let Some(blocklist) = &delivery.blocklist {
        return providers::provider(&blocklist.provider).map(|p| p.id);
    }
    let lower = delivery.diagnostic.as_deref().unwrap_or("").to_ascii_lowercase();
    gmail_receiver(delivery, &lower).then_some("gmail")
}

/// The receiver whose own reputation verdict a reply that names no list gives: Gmail (see
/// [`gmail_receiver`]), or Broadcom's Email Security.cloud (`symantec`) when the DSN's
/// Remote-MTA is one of its inbound MX hosts, `clusterN[a].REGION.messagelabs.com` (Symantec
/// support article TECH247121 on its primary and backup MX; Broadcom KB 254105). Broadcom refuses
/// senders whose IP has a negative reputation and removes them through its IP Reputation
/// Investigation, ipremoval.sms.symantec.com (Broadcom KB 177117 and 177234). A notice that
/// Broadcom's own outbound service sends (MAILER-DAEMON@messagelabs.com, Broadcom KB 162445) quotes
/// the recipient's server, whose MX is the Remote-MTA: never Broadcom's verdict.
fn reputation_receiver(delivery: &Delivery, lower: &str) -> Option<&'static str> {
    if gmail_receiver(delivery, lower) {
        return Some("gmail");
    }
    let mta = delivery.remote_mta.as_deref()?.split_whitespace().next()?.trim_end_matches('.').to_ascii_lowercase();
    mta.ends_with(".messagelabs.com").then_some("symantec")
}

/// The receiver is Gmail: its MX hosts are under google.com, or the reply carries Gmail's own
/// marks (see [`receiver_provider`]).
fn gmail_receiver(delivery: &Delivery, lower: &str) -> bool {
    let by_mta = delivery.remote_mta.as_deref().is_some_and(|mta| mta.to_ascii_lowercase().trim_end_matches('.').ends_with(".google.com"));
    by_mta || GMAIL.get().is_match(lower.as_bytes())
}

/// An unknown list named as a service in the reply, as the reply writes it.
fn generic_service(text: &str) -> Option<String> {
    let caps = compiled().service.captures(text.as_bytes())?;
    let name = pattern::as_text(&caps[1]);
    let first = name.split(' ').next().unwrap_or("").to_ascii_lowercase();
    // The receiver's own rule ("blocked by our RBL") is no list of anyone's.
    (!["our", "local", "internal", "their", "this", "my", "your", "own", "a", "an"].contains(&first.as_str())).then_some(name)
}

/// The reply without the code prefixes of its continuation lines (`550-5.7.1 unsolicited` →
/// `unsolicited`), so wording split across lines still matches.
fn unwrapped(lower: &str) -> String {
    let joined = compiled().continuation.replace_all(lower.as_bytes(), &b" "[..]);
    String::from_utf8(joined.into_owned()).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// The receiving side's host and domain names, as far as the delivery tells them.
fn receiver_names(delivery: &Delivery) -> Vec<&str> {
    let recipient_domain = delivery.recipient.as_deref().and_then(|r| r.rsplit_once('@')).map(|(_, domain)| domain);
    delivery.remote_mta.as_deref().into_iter().chain(recipient_domain).collect()
}

/// The first list of the provider that the reply names.
fn list_named(index: usize, lower: &str) -> Option<&'static providers::ListName> {
    let patterns = &compiled().lists[index];
    PROVIDERS[index].lists.iter().zip(patterns).find(|(_, re)| re.get().is_match(lower.as_bytes())).map(|(list, _)| list)
}

/// What the delivery's list means for the sender: from the list the reply names, else from
/// wording about dynamic addresses, else an ordinary spam listing.
pub fn list_kind(delivery: &Delivery) -> ListKind {
    let Some(blocklist) = &delivery.blocklist else { return ListKind::Spam };
    let named = PROVIDERS
        .iter()
        .position(|p| p.id == blocklist.provider)
        .and_then(|index| PROVIDERS[index].lists.iter().find(|l| Some(l.name) == blocklist.list.as_deref()));
    if let Some(list) = named {
        return list.kind;
    }
    let lower = delivery.diagnostic.as_deref().unwrap_or("").to_ascii_lowercase();
    if compiled().dynamic.is_match(lower.as_bytes()) {
        ListKind::Dynamic
    } else if OUTSIDE_LISTS.get().is_match(lower.as_bytes()) {
        ListKind::Outside
    } else {
        ListKind::Spam
    }
}

/// A receiver refusing the IP because other, public lists hold it: Comcast's BL000010 "IP found
/// on one or more DNSBLs" (blocklists.md, Comcast: "listed on outside DNSBLs (fix those)";
/// Comcast's postmaster page of SMTP error codes).
static OUTSIDE_LISTS: pattern::Lazy = pattern::Lazy::new(r"\bbl000010\b|found on one or more (?:dnsbls|rbls|block ?lists|black ?lists)");

/// The other list providers a reply cites besides the delivery's own (one reply may name several
/// lists); receivers' own systems are not repeated.
pub fn also_cited(delivery: &Delivery) -> Vec<&'static Provider> {
    let Some(blocklist) = &delivery.blocklist else { return Vec::new() };
    let lower = delivery.diagnostic.as_deref().unwrap_or("").to_ascii_lowercase();
    mentions(&lower)
        .into_iter()
        .map(|m| &PROVIDERS[m.index])
        .filter(|p| p.source == Source::List && p.id != blocklist.provider)
        .collect()
}

/// A portal URL the bounce cites that has been shut down, to be named but never linked.
fn retired_url(lower: &str, original: &str) -> Option<String> {
    let start = providers::RETIRED_PORTALS.iter().filter_map(|prefix| lower.find(prefix)).min()?;
    let end = original[start..].find(|c: char| c.is_whitespace() || matches!(c, ';' | '>' | ')' | '\'' | '"')).map_or(original.len(), |i| start + i);
    Some(original[start..end].trim_end_matches(['.', ',']).to_owned())
}

/// A URL of the table with the IP filled in, or the page without its query when the IP is
/// unknown.
pub fn fill_ip(template: &str, ip: Option<&str>) -> String {
    match (template.contains("{ip}"), ip) {
        (true, Some(ip)) => template.replace("{ip}", ip),
        (true, None) => {
            let base = template.split('{').next().unwrap_or(template);
            // Drop the IP's parameter (`?query=`, `&ip=`) or the bare `?`.
            let base = base.strip_suffix('=').map_or(base, |b| b.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_'));
            base.trim_end_matches(['?', '&']).to_owned()
        }
        (false, _) => template.to_owned(),
    }
}

#[cfg(test)]
mod tests;
