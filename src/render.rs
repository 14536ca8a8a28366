//! Writing a report for people: the verdict sentence, the plan as localised steps, and the
//! plain-text block the CLI prints (and the page copies for a helpdesk ticket).

use serde::Serialize;

use crate::advice::{carriers_unknown_user, delivered, filtered_mailbox_words, finer_cause, operator_must_act, provider_network, refusal, same_step, still_retrying, waits};
use crate::i18n::{Lang, catalogue, fill, text};
use crate::report::{Advice, AdviceId, Blocklist, Delivery, Kind, Reason, Report};
use crate::reputation::refusal::Refusal;
use crate::reputation::{self, GENERIC_DNSBL, ListKind, Removal, Source};

/// One step of the plan, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub id: AdviceId,
    pub title: String,
    pub body: String,
    /// A link from the project's own provider table, never one taken from the mail.
    pub url: Option<String>,
    /// The IP to offer with a copy button, where the linked page wants it typed in.
    pub copy_ip: Option<String>,
}

/// A report put into words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub verdict: String,
    /// Still retrying (and until when), or returned.
    pub severity: String,
    pub retrying: bool,
    /// The RFC 3339 time the severity speaks of, so the page can write it in the reader's own
    /// time zone and calendar.
    pub retry_until: Option<String>,
    pub steps: Vec<Step>,
    pub notes: Vec<String>,
    /// Each delivery's one cause in words, in the report's order: the details and the summary
    /// say what the verdict says.
    pub causes: Vec<String>,
    /// The portal for the page's lookup button, in the reader's language: the first lookup
    /// step's https link (none for a refusal that lists nothing).
    pub lookup_url: Option<String>,
}

/// A catalogue text that only some providers or lists have.
fn optional(lang: Lang, key: &str) -> Option<String> {
    catalogue(lang).get(key).map(|t| (*t).to_owned())
}

/// A provider's name for people, from its id.
pub fn provider_display_name(lang: Lang, id: &str) -> String {
    optional(lang, &format!("provider.{id}.name")).unwrap_or_else(|| id.to_owned())
}

/// The provider's name for people; an unknown list is named by its zone.
fn provider_name(lang: Lang, blocklist: &Blocklist) -> String {
    match (&blocklist.list, blocklist.provider.as_str()) {
        (Some(zone), GENERIC_DNSBL) => fill(lang, "verdict.generic-list", &[("zone", zone)]),
        _ => text(lang, &format!("provider.{}.name", blocklist.provider)),
    }
}

fn provider_name_with_list(lang: Lang, blocklist: &Blocklist) -> String {
    let name = provider_name(lang, blocklist);
    match &blocklist.list {
        Some(list) if blocklist.provider != GENERIC_DNSBL => fill(lang, "verdict.with-list", &[("provider", &name), ("list", list)]),
        _ => name,
    }
}

/// The delivery the verdict speaks of: a blocked one first, else the first.
fn main_delivery(report: &Report) -> Option<&Delivery> {
    report.deliveries.iter().find(|d| d.blocklist.is_some()).or_else(|| report.deliveries.first())
}

/// A pasted reply that says neither that the message came back nor that it is still queued: no
/// action, no notice around it, no code class (RFC 3463 §3.1) and no words that tell
/// (`decode::text`'s reading of pasted text). "TLS is required, but was not offered" is a
/// deferral in Postfix and an immediate return at other senders: saying either would be a guess.
fn action_unknown(delivery: &Delivery) -> bool {
    delivery.action.is_none() && delivery.notice.is_none() && !still_retrying(delivery)
}

/// The one plain sentence that says what happened.
pub fn verdict(report: &Report, lang: Lang) -> String {
    let verdict = main_verdict(report, lang);
    // Recipients with different outcomes: the headline speaks of the first one only, so it names
    // whom it is about; the lines below it and the steps name the others (try6: a headline about
    // one recipient above a first step about another read as a contradiction).
    match main_delivery(report).and_then(|d| d.recipient.as_deref()) {
        Some(recipient) if outcomes(report).is_some() => fill(lang, "verdict.for-recipient", &[("recipient", recipient), ("verdict", &verdict)]),
        _ => verdict,
    }
}

/// The verdict on the main delivery alone.
fn main_verdict(report: &Report, lang: Lang) -> String {
    let kind_text = || text(lang, &format!("kind.{}", kind_key(report.kind)));
    let Some(delivery) = main_delivery(report) else { return kind_text() };
    if report.kind == Kind::Feedback && delivery.feedback_type.as_deref() == Some("opt-out") {
        return text(lang, "kind.feedback.opt-out");
    }
    if report.kind == Kind::Autoreply && delivery.cause.as_deref() == Some(crate::decode::CHALLENGE_RESPONSE) {
        return text(lang, "kind.autoreply.challenge");
    }
    if !matches!(report.kind, Kind::Bounce | Kind::Delay) {
        return kind_text();
    }
    // A refusal that lists nothing: its cause is the verdict, as in the details and summaries.
    if refusal(delivery).is_some() {
        return fill(lang, "verdict.reason", &[("reason", &cause(delivery, lang))]);
    }
    let Some(bl) = &delivery.blocklist else {
        if matches!(delivery.reason, Reason::Blocked | Reason::BadReputation) {
            return text(lang, "verdict.unnamed-block");
        }
        // A delay whose cause is not known yet is only a delay: never "the server gave up".
        if still_retrying(delivery) && matches!(delivery.reason, Reason::Expired | Reason::OnHold | Reason::Undefined) {
            return text(lang, "kind.delay");
        }
        return fill(lang, "verdict.reason", &[("reason", &cause(delivery, lang))]);
    };
    let name = provider_name_with_list(lang, bl);
    if bl.lists_domain() {
        let domain = bl.domain.clone().unwrap_or_else(|| text(lang, "advice.domain-unknown"));
        return fill(lang, "verdict.domain-listed", &[("domain", &domain), ("provider", &provider_name(lang, bl))]);
    }
    let provider = reputation::provider(&bl.provider);
    let removal = provider.map_or(Removal::Unknown, |p| p.removal);
    let ip = bl.ip.as_deref();
    if reputation::list_kind(delivery) == ListKind::RecipientOwn {
        let list = bl.list.clone().unwrap_or(name);
        return fill(lang, "verdict.recipient-own", &[("provider", &list)]);
    }
    if removal == Removal::Defunct {
        return fill(lang, "verdict.defunct", &[("provider", &name)]);
    }
    if provider.is_some_and(|p| p.source == Source::Receiver) {
        // A receiver repeating outside lists (Comcast's BL000010) judges no reputation itself.
        let key = if reputation::list_kind(delivery) == ListKind::Outside { "verdict.outside" } else { "verdict.reputation" };
        return match ip {
            Some(ip) => fill(lang, &format!("{key}-ip"), &[("ip", ip), ("provider", &name)]),
            None => fill(lang, &format!("{key}-noip"), &[("provider", &name)]),
        };
    }
    let when = if still_retrying(delivery) { "retrying" } else { "returned" };
    match ip {
        Some(ip) => fill(lang, &format!("verdict.blocked-ip.{when}"), &[("ip", ip), ("provider", &name)]),
        None => fill(lang, &format!("verdict.blocked-noip.{when}"), &[("provider", &name)]),
    }
}

/// The one cause of a delivery in words, the same in the verdict, the details and the summary:
/// a finer cause wins over the reason's general name.
pub fn cause(delivery: &Delivery, lang: Lang) -> String {
    // A carrier's "unknown user" (and a filter's refusal in those words) may be the recipient's
    // own filter (blocklists.md, "Also true"): the cause says both, as the steps do. The reason
    // keeps the corpora's label.
    if carriers_unknown_user(delivery) || filtered_mailbox_words(delivery) == Some("unknown-user") {
        return text(lang, "cause.unknown-user-or-filter");
    }
    match finer_cause(delivery) {
        Some(key) => text(lang, &format!("cause.{key}")),
        // A listed domain is not the IP or host the reason's general name speaks of.
        None if delivery.blocklist.as_ref().is_some_and(Blocklist::lists_domain) => text(lang, "cause.domain-listed"),
        None => text(lang, &format!("reason.{}", delivery.reason.as_str())),
    }
}

/// A retry period in words: `1 day 19 h 52 min` (`1日19時間52分`).
fn period_text(minutes: u32, lang: Lang) -> String {
    let (days, hours, minutes) = (minutes / 1_440, minutes / 60 % 24, minutes % 60);
    let day_key = if days == 1 { "period.day" } else { "period.days" };
    let parts: Vec<String> = [(day_key, days), ("period.hours", hours), ("period.minutes", minutes)]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(key, n)| fill(lang, key, &[("n", &n.to_string())]))
        .collect();
    parts.join(gap(lang))
}

/// Recipients in a sentence, each once: `a@x, b@y` (`a@x、b@y`).
fn recipients_text(deliveries: &[&Delivery], lang: Lang) -> String {
    let mut names: Vec<&str> = Vec::new();
    for name in deliveries.iter().filter_map(|d| d.recipient.as_deref()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(if lang == Lang::Ja { "、" } else { ", " })
}

/// What became of each recipient, where they differ (some returned, some still retried, some
/// delivered): the returned, the retrying and the delivered, each named. `None` when all
/// recipients share one outcome, or one has no address to name.
fn outcomes(report: &Report) -> Option<[Vec<&Delivery>; 3]> {
    let mut groups: [Vec<&Delivery>; 3] = Default::default();
    for delivery in &report.deliveries {
        let index = if delivered(delivery) {
            2
        } else {
            usize::from(still_retrying(delivery))
        };
        groups[index].push(delivery);
    }
    let named = report.deliveries.iter().all(|d| d.recipient.is_some());
    (named && groups.iter().filter(|g| !g.is_empty()).count() > 1).then_some(groups)
}

/// Whether `sources` are some of the report's recipients but not all, each with an address.
fn for_some_recipients(report: &Report, sources: &[&Delivery]) -> bool {
    let named = report.deliveries.iter().all(|d| d.recipient.is_some());
    // By address: one recipient reported twice is still all of them.
    named && report.deliveries.iter().any(|d| !sources.iter().any(|s| s.recipient == d.recipient))
}

/// What goes between two sentences or parts: Japanese ones follow one another without a space,
/// English ones after one.
fn gap(lang: Lang) -> &'static str {
    if lang == Lang::Ja { "" } else { " " }
}

/// How a listing of the provider ends (`Unknown` for a list the table does not know).
fn removal_of(provider_id: &str) -> Removal {
    reputation::provider(provider_id).map_or(Removal::Unknown, |p| p.removal)
}

fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Bounce => "bounce",
        Kind::Delay => "delay",
        Kind::Feedback => "feedback",
        Kind::Autoreply => "autoreply",
        Kind::Delivered => "delivered",
        Kind::NotABounce => "not-a-bounce",
    }
}

/// The listing a step is about, with its delivery.
fn listing_of<'a>(report: &'a Report, advice: &Advice) -> Option<(&'a Delivery, &'a Blocklist)> {
    let provider = advice.provider.as_deref()?;
    report.deliveries.iter().find_map(|d| d.blocklist.as_ref().filter(|b| b.provider == provider).map(|b| (d, b))).or_else(|| {
        // A second list cited in the same reply: speak of the delivery that cites it.
        report.deliveries.iter().find_map(|d| d.blocklist.as_ref().map(|b| (d, b)))
    })
}

/// The deliveries a step of the plan is for: those whose own plan has it (`own_plans`, one per
/// delivery in the report's order), or all of them for a step no single plan has.
fn step_sources<'a>(report: &'a Report, own_plans: &[Vec<Advice>], advice: &Advice) -> Vec<&'a Delivery> {
    let sources: Vec<&Delivery> = report.deliveries.iter().zip(own_plans).filter(|(_, own)| own.iter().any(|s| same_step(s, advice))).map(|(d, _)| d).collect();
    if sources.is_empty() { report.deliveries.iter().collect() } else { sources }
}

/// The catalogue key and values of one step's body. Where the report's recipients differ, the
/// wording follows the deliveries the step is for (`sources`): a step for a returned copy is not
/// worded as waiting for the server's next try because another recipient's copy is still queued.
fn step_body(report: &Report, own_plans: &[Vec<Advice>], advice: &Advice, lang: Lang, time: &dyn Fn(&str) -> String) -> String {
    let sources = step_sources(report, own_plans, advice);
    let id = advice.id.as_str();
    let ip = advice.ip.as_deref();
    let provider_id = advice.provider.as_deref().unwrap_or("");
    let listing = listing_of(report, advice);
    let name = match listing {
        Some((_, bl)) if bl.provider == GENERIC_DNSBL && provider_id == GENERIC_DNSBL => bl.list.clone().unwrap_or_else(|| provider_name(lang, bl)),
        Some((_, bl)) if bl.provider == provider_id => provider_name(lang, bl),
        _ => text(lang, &format!("provider.{provider_id}.name")),
    };
    let facts = optional(lang, &format!("provider.{provider_id}.delist"))
        .or_else(|| optional(lang, &format!("provider.{provider_id}.ends")))
        .unwrap_or_else(|| text(lang, "provider.generic.delist"));
    // The first refusal the report's replies name, and the step's wording for it if it has one.
    let refused = sources.iter().copied().find_map(refusal);
    let refusal_wording = refused.map(Refusal::id).filter(|key| optional(lang, &format!("advice.{id}.{key}")).is_some());
    let mixed = outcomes(report);
    let for_some = for_some_recipients(report, &sources);
    let until = retry_until(report, time);
    let key = match advice.id {
        AdviceId::CheckIpReputation => check_key(report, advice, lang),
        AdviceId::ContactIspOrHost => match listing {
            // The listed IP is in a provider's published shared range: no returned header is
            // what shows it, so the wording says where the knowledge comes from.
            Some((_, bl)) if bl.ip.as_deref().and_then(reputation::relay::shared_outbound).is_some() => "shared-range".to_owned(),
            Some((_, bl)) if bl.relay.is_some() => "relay".to_owned(),
            Some((delivery, _)) if provider_network(delivery) => "network".to_owned(),
            // An unknown list: nothing is known of how its listings end (blocklists.md: "never
            // invent a portal").
            Some((delivery, bl)) if operator_must_act(reputation::list_kind(delivery), removal_of(&bl.provider)) => {
                if removal_of(&bl.provider) == Removal::Unknown { "operator-unknown" } else { "operator" }.to_owned()
            }
            Some((delivery, _)) => match reputation::list_kind(delivery) {
                ListKind::Dynamic => "dynamic".to_owned(),
                ListKind::Policy => "policy".to_owned(),
                ListKind::Network => "network".to_owned(),
                _ => "body".to_owned(),
            },
            None if sources.iter().any(|d| d.reason == Reason::RequirePtr) => "reverse-dns".to_owned(),
            None => "body".to_owned(),
        },
        AdviceId::ContactRecipient => match listing {
            Some((delivery, _)) if reputation::list_kind(delivery) == ListKind::RecipientOwn => "recipient-own".to_owned(),
            _ if let Some(key) = refusal_wording => key.to_owned(),
            _ if reputation::provider(provider_id).is_some_and(|p| p.removal == Removal::Defunct) => "defunct".to_owned(),
            _ if optional(lang, &format!("advice.{id}.{provider_id}")).is_some() => provider_id.to_owned(),
            _ if let Some(key) = sources.iter().copied().find_map(filtered_mailbox_words) => key.to_owned(),
            _ => by_reason(&sources, lang, id),
        },
        // A carrier's "unknown user" may be the recipient's own filter (blocklists.md, "Also true").
        AdviceId::FixAddress if sources.iter().copied().any(carriers_unknown_user) => "carrier".to_owned(),
        AdviceId::FixAddress => by_reason(&sources, lang, id),
        AdviceId::ContactMailAdmin | AdviceId::FixContent => refusal_wording.map_or_else(|| by_reason(&sources, lang, id), str::to_owned),
        // The removal is asked of the outside lists the receiver repeats, not of the receiver.
        AdviceId::RequestDelisting if listing.is_some_and(|(delivery, _)| reputation::list_kind(delivery) == ListKind::Outside) => "outside".to_owned(),
        AdviceId::SlowDown if refused == Some(Refusal::ReputationLimit) => "reputation-limit".to_owned(),
        AdviceId::SlowDown if refused == Some(Refusal::Throttle) => "throttle".to_owned(),
        AdviceId::SlowDown if sources.iter().copied().any(still_retrying) => "retrying".to_owned(),
        // A list that ends by itself has no removal request to come "before".
        AdviceId::FixRootCause if reputation::provider(provider_id).is_some_and(|p| p.removal == Removal::Automatic) => "automatic".to_owned(),
        // Nor has a provider without any removal process (the no-delisting step says so).
        AdviceId::FixRootCause if reputation::provider(provider_id).is_some_and(|p| p.removal == Removal::NoProcess) => "no-process".to_owned(),
        // Recipients with different outcomes: the step names the ones it is about.
        AdviceId::DoNotResend if mixed.is_some() => if until.is_some() { "recipients-until" } else { "recipients" }.to_owned(),
        AdviceId::DoNotResend if until.is_some() => "until".to_owned(),
        AdviceId::ResendAfterFix if main_delivery(report).is_some_and(action_unknown) => "unsure".to_owned(),
        AdviceId::ResendAfterFix if mixed.is_some() || for_some => "recipients".to_owned(),
        AdviceId::NoDelisting if optional(lang, &format!("provider.{provider_id}.ends")).is_none() => "generic".to_owned(),
        AdviceId::MonitorRelisting if optional(lang, &format!("advice.{id}.{provider_id}")).is_some() => provider_id.to_owned(),
        _ => "body".to_owned(),
    };
    // While the sending server still retries the copies the step is for (their plans say not to
    // resend), a wording that ends in "send it again" gives way to its variant that waits for
    // the server's next try; a returned copy among them is sent again.
    let waiting = if key == "body" { "retrying".to_owned() } else { format!("{key}.retrying") };
    let waits = sources.iter().all(|d| waits(d));
    let key = if waits && optional(lang, &format!("advice.{id}.{waiting}")).is_some() { waiting } else { key };
    let host = listing.and_then(|(_, bl)| bl.relay.clone()).unwrap_or_default();
    let facts = if advice.id == AdviceId::ContactRecipient { optional(lang, &format!("provider.{provider_id}.ends")).unwrap_or_default() } else { facts };
    let ip = ip.map_or_else(|| text(lang, "advice.ip-unknown"), str::to_owned);
    let until = until.unwrap_or_default();
    let domain = domain_of(report).unwrap_or_else(|| text(lang, "advice.domain-unknown"));
    let gap = gap(lang);
    let checked = authentication(report).map(|auth| format!("{gap}{}", fill(lang, "advice.auth-checked", &[("results", &checked_text(auth, lang))]))).unwrap_or_default();
    // The recipients the step is for: the retrying ones for do-not-resend, the returned ones for
    // the resend.
    let recipients = recipients_text(&sources, lang);
    let values = [("ip", ip.as_str()), ("provider", &name), ("facts", &facts), ("host", &host), ("until", &until), ("domain", &domain), ("checked", &checked), ("recipients", &recipients)];
    let mut body = fill(lang, &format!("advice.{id}.{key}"), &values);
    // A step for some of the recipients only, in a wording that does not name them: it says
    // whom it is for ("the recipient's mailbox is full" beside two recipients does not say whose).
    if !key.starts_with("recipients") && for_some {
        body = fill(lang, "advice.for-recipients", &[("recipients", &recipients), ("step", &body)]);
    }
    // Lists that expire by themselves have no removal step: say here how the listing ends.
    let expires = reputation::provider(provider_id).is_some_and(|p| p.removal == Removal::Automatic);
    if let Some(ends) = optional(lang, &format!("provider.{provider_id}.ends")).filter(|_| expires && advice.id == AdviceId::CheckIpReputation) {
        body = format!("{body}{gap}{ends}");
    }
    // A step that links the provider's page for senders (not a lookup or a removal form) says
    // what the page is for.
    let page = advice.url.is_some() && !matches!(advice.id, AdviceId::CheckIpReputation | AdviceId::RequestDelisting | AdviceId::CheckDomainReputation);
    if let Some(about) = optional(lang, &format!("provider.{provider_id}.page")).filter(|_| page) {
        body = format!("{body}{gap}{about}");
    }
    body
}

/// The step's wording for the cause of the first delivery that has one, else the general one.
fn by_reason(deliveries: &[&Delivery], lang: Lang, id: &str) -> String {
    deliveries
        .iter()
        .map(|d| d.reason.as_str())
        .find(|reason| optional(lang, &format!("advice.{id}.{reason}")).is_some())
        .map_or_else(|| "body".to_owned(), str::to_owned)
}

/// What the bounce says of the sender's authentication, from the first delivery that says it.
fn authentication(report: &Report) -> Option<&crate::report::Authentication> {
    report.deliveries.iter().find_map(|d| d.authentication.as_ref())
}

/// The listed or checked domain the report names.
fn domain_of(report: &Report) -> Option<String> {
    report
        .deliveries
        .iter()
        .find_map(|d| d.blocklist.as_ref().and_then(|b| b.domain.clone()).or_else(|| d.authentication.as_ref().and_then(|a| a.domain.clone())))
}

/// "SPF fail, DKIM none (domain example.jp, IP 192.0.2.1)": what the receiver checked.
fn checked_text(auth: &crate::report::Authentication, lang: Lang) -> String {
    // Each result in words, as the receiver put it: Gmail's 5.7.26 says a check "did not pass"
    // (its "Authentication results", Google's sender guidelines), which `fail` stands for.
    let results: Vec<String> = [("SPF", &auth.spf), ("DKIM", &auth.dkim), ("DMARC", &auth.dmarc)]
        .iter()
        .filter_map(|(name, result)| {
            let result = result.as_ref()?;
            let said = optional(lang, &format!("advice.auth-result.{result}")).map_or_else(|| format!("{name} {result}"), |t| t.replace("{mechanism}", name));
            Some(said)
        })
        .collect();
    let separator = text(lang, "advice.auth-separator");
    let separator = separator.trim_matches('"');
    let mut parts = vec![if results.is_empty() { text(lang, "advice.auth-unnamed") } else { results.join(separator) }];
    if let Some(domain) = &auth.domain {
        parts.push(fill(lang, "advice.auth-domain", &[("domain", domain)]));
    }
    if let Some(ip) = &auth.ip {
        parts.push(fill(lang, "advice.auth-ip", &[("ip", ip)]));
    }
    parts.join(separator)
}

/// When the sending server gives up on a message it still retries, if the report tells.
fn retry_until(report: &Report, time: &dyn Fn(&str) -> String) -> Option<String> {
    report.deliveries.iter().filter(|d| still_retrying(d)).find_map(|d| d.retry_until.as_deref().map(time))
}

/// An RFC 3339 time as people write it, in the offset the notice gave: `2023-11-25T10:00:00Z` →
/// `2023-11-25 10:00 UTC` (「2023年11月25日10時00分 (UTC)」), `+09:00` → `UTC+09:00`.
fn readable_time(rfc3339: &str, lang: Lang) -> String {
    let field = |range: std::ops::Range<usize>| rfc3339.get(range);
    let (Some(year), Some(month), Some(day), Some(time), Some(zone)) = (field(0..4), field(5..7), field(8..10), field(11..16), field(19..rfc3339.len())) else {
        return rfc3339.to_owned();
    };
    if !rfc3339.is_ascii() || rfc3339.as_bytes().get(10) != Some(&b'T') {
        return rfc3339.to_owned();
    }
    // RFC 3339's "Z" is UTC itself; an offset is said from UTC ("UTC+09:00").
    let zone = match zone.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit()) {
        "Z" | "z" | "+00:00" => text(lang, "time.utc"),
        offset => fill(lang, "time.offset", &[("offset", offset)]),
    };
    // Japanese writes numbers of a date without leading zeros: 2026年12月3日9時05分.
    let unpadded = |n: &str| match n.trim_start_matches('0') {
        "" => "0".to_owned(),
        n => n.to_owned(),
    };
    let (hour, minute) = (&time[..2], &time[3..]);
    let values = [("year", year), ("month", month), ("day", day), ("m", &unpadded(month)), ("d", &unpadded(day)), ("time", time), ("h", &unpadded(hour)), ("minute", minute), ("zone", &zone)];
    fill(lang, "time.datetime", &values)
}

/// Which wording of the lookup step fits: a suspicion, an unknown IP, the provider's own way.
fn check_key(report: &Report, advice: &Advice, lang: Lang) -> String {
    let Some(provider_id) = advice.provider.as_deref() else {
        let unnamed = report.deliveries.iter().any(|d| d.blocklist.is_none() && matches!(d.reason, Reason::Blocked | Reason::BadReputation));
        return if unnamed { "unnamed" } else { "suspect" }.to_owned();
    };
    if advice.ip.is_none() {
        // No page to look it up on: the step says where else to look, not "linked below".
        return if advice.url.is_some() { "noip" } else { "noip-nolink" }.to_owned();
    }
    if provider_id == GENERIC_DNSBL {
        return "generic".to_owned();
    }
    if optional(lang, &format!("advice.check-ip-reputation.{provider_id}")).is_some() {
        return provider_id.to_owned();
    }
    match (&advice.url, advice.ip.as_deref()) {
        (Some(url), Some(ip)) if url.contains(ip) => "body",
        (Some(_), _) => "form",
        (None, _) => "nolookup",
    }
    .to_owned()
}

/// The report in words: verdict, severity and the steps.
pub fn explain(report: &Report, lang: Lang) -> Explanation {
    explain_with_time(report, lang, &|t| readable_time(t, lang))
}

/// [`explain`] with the times (the retry deadline) written by `time`, which gets an RFC 3339
/// time: the page passes its reader's zone and format (Intl), so one page shows one format.
pub fn explain_with_time(report: &Report, lang: Lang, time: &dyn Fn(&str) -> String) -> Explanation {
    let delivery = main_delivery(report);
    let retrying = delivery.is_some_and(still_retrying);
    let severity = match delivery {
        _ if !matches!(report.kind, Kind::Bounce | Kind::Delay) => String::new(),
        // Recipients with different outcomes: each outcome with its recipients, so the steps
        // that speak of some of them have them named above.
        _ if let Some([returned, retrying, delivered]) = outcomes(report) => {
            let until = retry_until(report, time);
            let mut parts = Vec::new();
            if !returned.is_empty() {
                parts.push(fill(lang, "verdict.mixed.returned", &[("recipients", &recipients_text(&returned, lang))]));
            }
            if !retrying.is_empty() {
                let recipients = recipients_text(&retrying, lang);
                parts.push(match &until {
                    Some(until) => fill(lang, "verdict.mixed.retrying-until", &[("recipients", &recipients), ("until", until)]),
                    None => fill(lang, "verdict.mixed.retrying", &[("recipients", &recipients)]),
                });
            }
            if !delivered.is_empty() {
                parts.push(fill(lang, "verdict.mixed.delivered", &[("recipients", &recipients_text(&delivered, lang))]));
            }
            parts.join(gap(lang))
        }
        Some(d) if retrying => match &d.retry_until {
            Some(until) => fill(lang, "verdict.retrying-until", &[("until", &time(until))]),
            None => match d.retry_left_minutes {
                Some(left) => fill(lang, "verdict.retrying-for", &[("period", &period_text(left, lang))]),
                None => text(lang, "verdict.retrying"),
            },
        },
        Some(d) if action_unknown(d) => text(lang, "verdict.return-unknown"),
        Some(_) => text(lang, "verdict.returned"),
        None => String::new(),
    };
    // Each delivery's own plan, to tell which deliveries a step of the whole plan is for.
    let own_plans: Vec<Vec<Advice>> = report.deliveries.iter().map(|d| crate::advice::plan(report.kind, std::slice::from_ref(d))).collect();
    let steps: Vec<Step> = report
        .advice
        .iter()
        .map(|advice| {
            let url = advice.url.as_deref().map(|u| reputation::localised_url(u, lang));
            // A page served only over plain http is not linked: its address is given as text to
            // copy, so a step that promises a link still shows one.
            let (url, plain) = match url {
                Some(url) if url.starts_with("http:") => (None, Some(url)),
                url => (url, None),
            };
            let mut body = step_body(report, &own_plans, advice, lang, time);
            if let Some(plain) = plain {
                body.push_str(gap(lang));
                body.push_str(&fill(lang, "advice.link-as-text", &[("url", &plain)]));
            }
            // Only a lookup or a removal form wants the IP typed in.
            let wants_ip = matches!(advice.id, AdviceId::CheckIpReputation | AdviceId::RequestDelisting | AdviceId::ContactIspOrHost);
            let copy_ip = match (&url, advice.ip.as_deref()) {
                (Some(url), Some(ip)) if wants_ip && !url.contains(ip) && !url.starts_with("mailto:") => Some(ip.to_owned()),
                _ => None,
            };
            Step {
                id: advice.id,
                title: text(lang, &format!("advice.{}.title", advice.id.as_str())),
                body,
                url,
                copy_ip,
            }
        })
        .collect();
    let mut notes: Vec<String> = report.notes.iter().map(|note| text(lang, &format!("note.{}", note.as_str()))).collect();
    if report.omitted_deliveries > 0 {
        let (shown, more) = (report.deliveries.len().to_string(), report.omitted_deliveries.to_string());
        notes.push(fill(lang, "note.more-deliveries", &[("shown", &shown), ("more", &more)]));
    }
    for delivery in report.deliveries.iter().filter(|d| reputation::list_kind(d) == ListKind::Temporary) {
        let list = delivery.blocklist.as_ref().and_then(|b| b.list.as_deref()).unwrap_or_default();
        let note = fill(lang, "note.list-temporary", &[("list", list)]);
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    for url in report.deliveries.iter().filter_map(|d| d.blocklist.as_ref()?.retired_url.as_deref()) {
        let note = fill(lang, "label.retired", &[("url", url)]);
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    let retry_until = delivery.filter(|_| retrying).and_then(|d| d.retry_until.clone());
    let causes = report.deliveries.iter().map(|d| cause(d, lang)).collect();
    let lookup_url = steps
        .iter()
        .filter(|s: &&Step| matches!(s.id, AdviceId::CheckIpReputation | AdviceId::CheckDomainReputation))
        .find_map(|s| s.url.clone().filter(|u| u.starts_with("https:")));
    Explanation { verdict: verdict(report, lang), severity, retrying, retry_until, steps, notes, causes, lookup_url }
}

/// The plain-text block for one report.
pub fn to_text(report: &Report, lang: Lang) -> String {
    let explanation = explain(report, lang);
    let mut out = String::new();
    if let Some(source) = &report.source {
        out.push_str(&format!("== {source}\n"));
    }
    out.push_str(&explanation.verdict);
    out.push('\n');
    if !explanation.severity.is_empty() {
        out.push_str(&explanation.severity);
        out.push('\n');
    }
    for note in &explanation.notes {
        out.push_str(&format!("({note})\n"));
    }
    for delivery in &report.deliveries {
        out.push('\n');
        let line = |out: &mut String, key: &str, value: Option<&str>| {
            if let Some(value) = value {
                out.push_str(&format!("  {}\n", fill(lang, "text.field", &[("label", &text(lang, key)), ("value", value)])));
            }
        };
        line(&mut out, "label.recipient", delivery.recipient.as_deref());
        line(&mut out, "label.reason", Some(&format!("{} ({})", cause(delivery, lang), delivery.reason.as_str())));
        line(&mut out, "label.status", delivery.status.as_deref());
        line(&mut out, "label.reply-code", delivery.reply_code.as_deref());
        line(&mut out, "label.remote-mta", delivery.remote_mta.as_deref());
        line(&mut out, "label.diagnostic", delivery.diagnostic.as_deref());
        // A refusal that lists nothing is not shown as a listing.
        if let Some(bl) = delivery.blocklist.as_ref().filter(|_| refusal(delivery).is_none()) {
            line(&mut out, "label.provider", Some(&provider_name(lang, bl)));
            line(&mut out, "label.list", bl.list.as_deref());
            line(&mut out, "label.ip", bl.ip.as_deref());
        }
        // The deadline is said once, in the severity line above, when the message is still retrying.
        if !explanation.retrying {
            line(&mut out, "label.retry-until", delivery.retry_until.as_deref().map(|t| readable_time(t, lang)).as_deref());
        }
        if let Some(domain) = delivery.blocklist.as_ref().and_then(|b| b.domain.as_deref()) {
            line(&mut out, "label.domain", Some(domain));
        }
    }
    if !explanation.steps.is_empty() {
        out.push_str(&format!("\n{}\n", fill(lang, "text.heading", &[("label", &text(lang, "label.advice"))])));
        for (n, step) in explanation.steps.iter().enumerate() {
            let title = fill(lang, "text.field", &[("label", &step.title), ("value", &step.body)]);
            out.push_str(&format!("  {}. {title}\n", n + 1));
            if let Some(url) = &step.url {
                out.push_str(&format!("     {url}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advice::cause_id;

    const SEED: &[u8] = b"said: 450 4.7.1 Service temporarily unavailable; Client host [203.0.113.5] blocked\nusing Trend Micro Network Anti-Spam Service. Please see\nhttp://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.5; Mail\nfrom 203.0.113.5 deferred using Trend Micro Email Reputation database.\n";

    /// A delay pasted without its headers, its reply only a "delivery time expired" status.
    const DELAY_PASTE: &[u8] = b"Delivery is delayed to these recipients or groups:\n\nmiho@far.example\n\nThe server will keep trying to deliver this message for the next 2 days, 3 hours and 5 minutes.\n\nmiho@far.example\nRemote Server at mx.far.example returned '400 4.4.7 Message delayed'\n";

    #[test]
    fn a_delay_without_a_named_cause_is_never_worded_as_given_up() {
        let delayed = Delivery { action: Some(crate::Action::Delayed), reason: Reason::Expired, ..Delivery::default() };
        let failed = Delivery { action: Some(crate::Action::Failed), ..delayed.clone() };
        for lang in [Lang::En, Lang::Ja] {
            assert_eq!(cause(&delayed, lang), text(lang, "cause.unexplained-delay"));
            assert_eq!(cause(&failed, lang), text(lang, "reason.expired"), "a returned message did give up");
        }
        assert_eq!(cause_id(&delayed), "unexplained-delay");
        assert_eq!(cause_id(&failed), "expired");
        let report = crate::diagnose(DELAY_PASTE);
        let delivery = &report.deliveries[0];
        assert_eq!((delivery.reason, delivery.cause.as_deref()), (Reason::Expired, Some("unexplained-delay")));
        let out = to_text(&report, Lang::En);
        assert!(out.contains("still retrying") && !out.contains("gave up"), "{out}");
        assert!(!to_text(&report, Lang::Ja).contains("あきらめ"));
    }

    #[test]
    fn a_delay_whose_words_name_a_failed_connection_says_so() {
        // Sendmail's warning and Postfix's deferral, in their documented shapes.
        for words in ["Deferred: Connection timed out with mx.far.example.", "connect to mx.far.example[192.0.2.1]:25: Connection refused"] {
            let delayed = Delivery { action: Some(crate::Action::Delayed), reason: Reason::Expired, diagnostic: Some(words.to_owned()), ..Delivery::default() };
            assert_eq!(cause_id(&delayed), "connection-delay", "{words}");
        }
        let unexplained = Delivery { action: Some(crate::Action::Delayed), reason: Reason::Expired, diagnostic: Some("400 4.4.7 Message delayed".to_owned()), ..Delivery::default() };
        assert_eq!(cause_id(&unexplained), "unexplained-delay");
    }

    #[test]
    fn a_stated_retry_period_without_a_date_is_said_as_a_period() {
        let report = crate::diagnose(DELAY_PASTE);
        assert_eq!((report.deliveries[0].retry_until.as_deref(), report.deliveries[0].retry_left_minutes), (None, Some(3_065)));
        assert_eq!(explain(&report, Lang::En).severity, "The sending server keeps retrying for about 2 days 3 h 5 min after the notice was sent.");
        assert!(explain(&report, Lang::Ja).severity.contains("約2日3時間5分"));
        assert_eq!(period_text(1_440 + 60, Lang::En), "1 day 1 h");
        assert_eq!(period_text(52, Lang::Ja), "52分");
    }

    #[test]
    fn an_unsubscribe_request_is_told_apart_from_a_complaint() {
        let opt_out = crate::diagnose(b"From: tama@icloud.example\nSubject: unsubscribe\nAuto-Submitted: auto-replied\nX-Apple-Unsubscribe: true\n\nunsubscribe\n");
        assert_eq!(verdict(&opt_out, Lang::En), text(Lang::En, "kind.feedback.opt-out"));
        let abuse = crate::diagnose(b"From: staff@hotmail.com\nSubject: complaint about message from 192.0.2.22\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: message/rfc822\n\nX-HmXmrOriginalRecipient: tama@example.com\nSubject: sale\n\nbuy\n--b--\n");
        assert_eq!(verdict(&abuse, Lang::Ja), text(Lang::Ja, "kind.feedback"));
    }

    #[test]
    fn verdict_names_ip_and_provider_in_both_languages() {
        let report = crate::diagnose(SEED);
        let ja = verdict(&report, Lang::Ja);
        assert!(ja.contains("203.0.113.5") && ja.contains("Trend Micro"), "{ja}");
        let en = explain(&report, Lang::En);
        assert!(en.retrying);
        assert_eq!(en.steps[0].id, AdviceId::DoNotResend);
    }

    #[test]
    fn text_block_lists_the_steps_with_the_current_portal() {
        let out = to_text(&crate::diagnose(SEED), Lang::En);
        assert!(out.contains("https://servicecentral.trendmicro.com/en-US/ers/ip-lookup/"), "{out}");
        assert!(out.contains("retired site"), "{out}");
    }

    /// Replies of every removal route and list kind, pasted as fragments.
    const REPLIES: &[&str] = &[
        "said: 550 5.7.1 Recipient address rejected: ERS-Customized-Block.",
        "said: 454 4.7.1 Client host [192.0.2.99] blocked using dnsbl.sorbs.net",
        "said: 550-5.7.1 [203.0.113.140] very low reputation of the sending IP address. - gsmtp",
        "said: 554 5.7.1 Recipient address rejected: ERS-QIL.",
        "said: 550 5.7.1 Client host [192.0.2.21] blocked using ERS-DUL.",
        "said: 554 Client host [192.0.2.10] blocked using sbl.spamhaus.org; https://www.spamhaus.org/sbl/query/SBL1",
        "said: 550 Client host [192.0.2.11] blocked using zen.spamhaus.org, bl.spamcop.net",
        "said: 550 csi.mimecast.org Poor Reputation Sender.",
        "said: 553 5.3.0 flpd594 DNSBL:RBL 521< 192.0.2.53 >_is_blocked.For assistance forward this email to abuse_rbl@abuse-att.net",
        "said: 550 Client host [203.0.113.22] blocked using bl.example.net",
        "** THIS IS A WARNING MESSAGE ONLY **\n<hanako@example.jp>... Deferred: Connection reset by mx.example.jp.\nWarning: message still undelivered after 4 hours\nWill keep trying until message is 5 days old",
        "said: 550 5.7.1 IP address blacklisted by recipient",
        "said: 550-5.7.26 This mail has been blocked because the sender is unauthenticated. 5.7.26 Authentication results: DKIM = did not pass SPF [example.net] with ip: [192.0.2.79] = did not pass",
        "said: 552 5.2.2 <hanako@example.jp>: Recipient address rejected: Mailbox full",
        "said: 554 5.7.1 Service unavailable; Sender address [taro@bad.example] blocked using dbl.spamhaus.org",
        "said: 554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; Error: open resolver; https://www.spamhaus.org/returnc/pub/198.51.100.2",
        "said: 554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/102322",
        "said: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
        "said: 421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp",
        "said: 550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).",
        "said: 550 5.7.1 Your message (sent through 192.0.2.44) was blocked by ROTA DNSBL.",
        "said: 554 Service unavailable; Client host [192.0.2.61] blocked using hostkarma.junkemailfilter.com",
        "said: 552 5.3.4 Message size exceeds fixed limit",
        "said: 554 resimta-h1.sys.comcast.example resimta-h1.sys.comcast.example 192.0.2.58 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000010",
    ];

    #[test]
    fn steps_claim_no_removal_route_the_table_does_not_know() {
        // An unknown list: the text says how little is known, never that listings expire.
        let unknown = crate::diagnose(b"said: 550 Client host [203.0.113.22] blocked using bl.example.net");
        let en = to_text(&unknown, Lang::En);
        assert!(en.contains(&text(Lang::En, "advice.contact-isp-or-host.operator-unknown")) && !en.contains("ends by itself"), "{en}");
        assert!(to_text(&unknown, Lang::Ja).contains(&text(Lang::Ja, "advice.contact-isp-or-host.operator-unknown")));
        // Comcast's BL000010 repeats outside lists: the removal step asks those lists, not Comcast.
        let comcast = crate::diagnose(REPLIES.last().unwrap().as_bytes());
        for lang in [Lang::En, Lang::Ja] {
            let step = explain(&comcast, lang).steps.into_iter().find(|s| s.id == AdviceId::RequestDelisting).unwrap();
            let outside = fill(lang, "advice.request-delisting.outside", &[("provider", "Comcast"), ("ip", "192.0.2.58"), ("facts", "")]);
            assert!(step.body.starts_with(outside.trim_end()), "{}", step.body);
            assert_eq!(verdict(&comcast, lang), fill(lang, "verdict.outside-ip", &[("provider", "Comcast"), ("ip", "192.0.2.58")]));
        }
    }

    fn table_urls() -> Vec<String> {
        let pages = [Some(reputation::GMAIL_SENDER_GUIDELINES)];
        reputation::PROVIDERS.iter().flat_map(|p| [p.lookup, p.delist]).chain(pages).flatten().map(|u| u.split('{').next().unwrap_or(u).to_owned()).collect()
    }

    #[test]
    fn every_step_is_filled_in_both_languages_with_table_links_only() {
        let urls = table_urls();
        for reply in REPLIES {
            let report = crate::diagnose(reply.as_bytes());
            assert!(!report.advice.is_empty(), "{reply}");
            for lang in [Lang::En, Lang::Ja] {
                let explanation = explain(&report, lang);
                for text in std::iter::once(&explanation.verdict).chain(explanation.steps.iter().flat_map(|s| [&s.title, &s.body])) {
                    assert!(!text.is_empty() && !text.contains('{') && !text.contains("advice.") && !text.contains("provider."), "{reply}: {text}");
                }
                for step in &explanation.steps {
                    if let Some(url) = &step.url {
                        let url = url.replace("/ja-JP/", "/en-US/").replace("/ja-jp/", "/en-us/");
                        assert!(urls.iter().any(|base| url.starts_with(base.trim_end_matches(['?', '&', '=']))), "{reply}: {url}");
                    }
                }
            }
        }
    }

    #[test]
    fn verdicts_tell_the_recipients_own_block_a_dead_list_and_a_reputation_block_apart() {
        let verdict_of = |reply: &str, lang| verdict(&crate::diagnose(reply.as_bytes()), lang);
        assert!(verdict_of(REPLIES[0], Lang::En).contains("recipient's own administrator"));
        assert!(verdict_of(REPLIES[1], Lang::Ja).contains("運営を終えた"));
        assert!(verdict_of(REPLIES[2], Lang::En).contains("poor reputation"));
        let returned = verdict_of(REPLIES[3], Lang::Ja);
        assert!(returned.contains("QIL") && returned.contains("拒否されました"), "{returned}");
    }

    #[test]
    fn a_shared_hosts_relay_sends_the_user_to_the_host() {
        let raw = "From: MAILER-DAEMON@sv1234.shared-host.example.net\nTo: taro@example.co.jp\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n<hanako@partner.example.com>: host mx.partner.example.com[198.51.100.25] said: 550 5.7.1 Client host [192.0.2.5] blocked using zen.spamhaus.org\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; sv1234.shared-host.example.net\n\nFinal-Recipient: rfc822; hanako@partner.example.com\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 Client host [192.0.2.5] blocked using zen.spamhaus.org\n\n--b\nContent-Type: text/rfc822-headers\n\nReceived: from [192.168.1.23] (unknown [203.0.113.200])\n\tby sv1234.shared-host.example.net (Postfix) with ESMTPSA id 4AB\nFrom: Taro <taro@example.co.jp>\nTo: hanako@partner.example.com\n\n--b--\n";
        let report = crate::diagnose(raw.as_bytes());
        assert_eq!(report.deliveries[0].blocklist.as_ref().and_then(|b| b.relay.as_deref()), Some("sv1234.shared-host.example.net"));
        let steps = explain(&report, Lang::En).steps;
        let host_step = steps.iter().find(|s| s.id == AdviceId::ContactIspOrHost).expect("contact-isp-or-host");
        assert!(host_step.body.contains("sv1234.shared-host.example.net"), "{}", host_step.body);
    }

    #[test]
    fn a_providers_shared_outbound_ip_is_the_providers_to_delist() {
        // 40.107.0.0/16 is Exchange Online Protection's (Microsoft 365 URLs and IP address ranges,
        // Exchange Online ID 10): the user cannot have it removed, Microsoft can (try6 case 112).
        let report = crate::diagnose(b"said: 550 5.7.1 Service unavailable; Client host [40.107.1.5] blocked using Trend Micro Email Reputation database");
        let ids: Vec<&str> = report.advice.iter().map(|a| a.id.as_str()).collect();
        assert!(ids.contains(&"contact-isp-or-host") && !ids.contains(&"request-delisting") && !ids.contains(&"fix-root-cause"), "{ids:?}");
        for lang in [Lang::En, Lang::Ja] {
            let steps = explain(&report, lang).steps;
            let host_step = steps.iter().find(|s| s.id == AdviceId::ContactIspOrHost).expect("contact-isp-or-host");
            assert!(host_step.body.contains("Microsoft 365") && host_step.body.contains("40.107.1.5"), "{}", host_step.body);
        }
        // An address outside the range stays the user's own listing.
        let own = crate::diagnose(b"said: 550 5.7.1 Service unavailable; Client host [192.0.2.5] blocked using Trend Micro Email Reputation database");
        assert!(own.advice.iter().any(|a| a.id == AdviceId::RequestDelisting));
    }

    #[test]
    fn a_step_that_promises_a_link_shows_one() {
        // Barracuda's lookup is served over https: a link with a copy button for the IP.
        let barracuda = explain(&crate::diagnose(b"said: 554 5.7.1 Service unavailable; Client host [203.0.113.19] blocked using b.barracudacentral.org"), Lang::En);
        let check = barracuda.steps.iter().find(|s| s.id == AdviceId::CheckIpReputation).unwrap();
        assert_eq!(check.url.as_deref(), Some("https://www.barracudacentral.org/lookups/lookup-reputation"));
        assert_eq!(check.copy_ip.as_deref(), Some("203.0.113.19"));
        assert_eq!(barracuda.lookup_url, check.url);
        // Hostkarma's page is plain http: not linked, but its address is there to copy.
        let hostkarma = explain(&crate::diagnose(REPLIES[21].as_bytes()), Lang::Ja);
        let check = hostkarma.steps.iter().find(|s| s.id == AdviceId::CheckIpReputation).unwrap();
        assert!(check.url.is_none() && check.body.contains("http://ipadmin.junkemailfilter.com/remove.php?ip=192.0.2.61"), "{}", check.body);
        // A refusal that lists nothing offers no lookup button; Apple's page follows the language.
        let icloud = explain(&crate::diagnose(REPLIES[16].as_bytes()), Lang::Ja);
        assert!(icloud.lookup_url.is_none());
        assert_eq!(reputation::localised_url("https://support.apple.com/en-us/102322", Lang::Ja), "https://support.apple.com/ja-jp/102322");
    }

    #[test]
    fn one_cause_per_message_in_verdict_details_and_plan() {
        let report = crate::diagnose(REPLIES[16].as_bytes());
        let explanation = explain(&report, Lang::En);
        assert!(explanation.verdict.contains("not listed"), "{}", explanation.verdict);
        assert_eq!(explanation.causes, [text(Lang::En, "cause.message-policy")]);
        assert_eq!(cause_id(&report.deliveries[0]), "message-policy");
        assert!(explanation.steps.iter().all(|s| s.id != AdviceId::RequestDelisting && s.id != AdviceId::CheckIpReputation));
        let out = to_text(&report, Lang::En);
        assert!(out.contains(&explanation.causes[0]) && !out.contains(&text(Lang::En, "label.provider")), "{out}");
    }

    #[test]
    fn a_delay_card_shows_one_deadline() {
        let raw = b"From: Microsoft Outlook <postmaster@a.example>\nSubject: Delivery delayed: hi\nDate: Fri, 27 Nov 2026 10:00:00 +0900\n\nDelivery is delayed to these recipients or groups:\n\nhanako@b.example\n\nThe server will keep trying to deliver this message for the next 1 days, 19 hours and 57 minutes.\n\nhanako@b.example\nRemote Server returned '451 4.7.1 Service unavailable; Client host [203.0.113.5] blocked using Trend Micro Network Anti-Spam Service'\n";
        for (lang, deadline) in [(Lang::En, "2026-11-29 05:57 UTC+09:00"), (Lang::Ja, "2026年11月29日5時57分 (UTC+09:00)")] {
            let out = to_text(&crate::diagnose(raw), lang);
            assert_eq!(out.matches(deadline).count(), 1, "{out}");
        }
    }

    #[test]
    fn authentication_steps_name_what_was_checked() {
        let report = crate::diagnose(REPLIES[12].as_bytes());
        let auth = report.deliveries[0].authentication.as_ref().expect("authentication");
        assert_eq!((auth.domain.as_deref(), auth.ip.as_deref()), (Some("example.net"), Some("192.0.2.79")));
        for lang in [Lang::En, Lang::Ja] {
            let step = explain(&report, lang).steps.into_iter().find(|s| s.id == AdviceId::FixAuthentication).unwrap();
            let did_not_pass = text(lang, "advice.auth-result.fail").replace("{mechanism}", "SPF");
            assert!(step.body.contains(&did_not_pass) && step.body.contains("example.net") && step.body.contains("192.0.2.79"), "{}", step.body);
        }
    }

    /// The sentences of a step that tell the reader to send the message again.
    fn resend_sentences(body: &str) -> Vec<&str> {
        body.split(['.', ';', '。'])
            .filter(|s| ["send again", "send it again", "send it there", "送り直", "再送してください"].iter().any(|w| s.contains(w)))
            .collect()
    }

    #[test]
    fn while_the_server_retries_no_step_says_to_send_again_except_if_it_comes_back() {
        // Every reason of the contract's table, still retrying: a step may speak of sending
        // again only for the case that the message comes back (the do-not-resend step's rule).
        for &(reasons, _) in crate::advice::REASON_PLANS {
            for &reason in reasons {
                let delivery = Delivery { reason, action: Some(crate::report::Action::Delayed), status: Some("4.0.0".into()), ..Delivery::default() };
                let report = Report { kind: Kind::Delay, advice: crate::advice::plan(Kind::Delay, std::slice::from_ref(&delivery)), deliveries: vec![delivery], ..crate::diagnose(b"") };
                for lang in [Lang::En, Lang::Ja] {
                    for step in explain(&report, lang).steps {
                        for sentence in resend_sentences(&step.body) {
                            assert!(["comes back", "差し戻"].iter().any(|w| sentence.contains(w)), "{} {:?}: {}", reason.as_str(), step.id, step.body);
                        }
                    }
                }
            }
        }
        // The same with a real delay notice (a full mailbox), in both languages.
        let raw = b"<slow@busy.example>: host mx.busy.example[198.51.100.7] said: 452 4.2.2 <slow@busy.example>: Mailbox is full (in reply to RCPT TO command)\n";
        let report = crate::diagnose(raw);
        assert_eq!(report.advice[0].id, AdviceId::DoNotResend);
        let steps = explain(&report, Lang::En).steps;
        assert!(steps[1].body.contains("make room") && steps[1].body.contains("next try"), "{}", steps[1].body);
    }

    #[test]
    fn the_carriers_unknown_user_caveat_goes_only_where_it_applies() {
        let step = |reply: &str, id: AdviceId, lang| explain(&crate::diagnose(reply.as_bytes()), lang).steps.into_iter().find(|s| s.id == id).map(|s| s.body).unwrap_or_default();
        // A null MX or an ordinary missing mailbox: no carrier caveat.
        let null_mx = step("<a@parked.example>: Domain parked.example does not accept mail (nullMX)", AdviceId::FixAddress, Lang::En);
        assert!(null_mx.contains("accepts no mail") && !null_mx.contains("carrier"), "{null_mx}");
        let unknown = step("<a@corp.example>: host mx.corp.example[192.0.2.1] said: 550 5.1.1 <a@corp.example>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)", AdviceId::FixAddress, Lang::En);
        assert!(!unknown.contains("carrier") && !unknown.contains("docomo"), "{unknown}");
        // A carrier's user unknown: the address may be wrong or the recipient filters.
        let carrier = step("<hana@ezweb.ne.jp>: host lsean.ezweb.ne.jp[192.0.2.2] said: 550 <hana@ezweb.ne.jp>: User unknown (in reply to RCPT TO command)", AdviceId::FixAddress, Lang::Ja);
        assert!(carrier.contains("受信拒否"), "{carrier}");
        // The same words read as a filter (a refusal after DATA): both possibilities are said;
        // Yahoo's words name a missing account: the address is most likely wrong.
        let filtered = |words: &str| {
            let delivery = Delivery { reason: Reason::Filtered, action: Some(crate::report::Action::Failed), diagnostic: Some(words.into()), ..Delivery::default() };
            let report = Report { kind: Kind::Bounce, advice: crate::advice::plan(Kind::Bounce, std::slice::from_ref(&delivery)), deliveries: vec![delivery], ..crate::diagnose(b"") };
            explain(&report, Lang::En).steps.into_iter().find(|s| s.id == AdviceId::ContactRecipient).unwrap().body
        };
        let carrier = filtered("550 Unknown user hana@docomo.ne.jp (in reply to end of DATA command)");
        assert!(carrier.contains("may be wrong") && carrier.contains("filter"), "{carrier}");
        let account = filtered("554 delivery error: dd This user doesn't have a yahoo.example account (lost@yahoo.example) [0] - mta1.yahoo.example");
        assert!(account.contains("most likely wrong"), "{account}");
        let rule = filtered("550 5.7.1 Message rejected by the recipient's domain filter");
        assert!(!rule.contains("wrong"), "{rule}");
    }

    #[test]
    fn a_carriers_unknown_user_says_both_meanings_in_the_headline_whatever_its_reason() {
        // The same carrier answer read as userunknown (at RCPT) and as filtered (after DATA):
        // one cause in the headline and the details, and the reasons stay as labelled.
        let at_rcpt = crate::diagnose(b"<hana@ezweb.ne.jp>: host lsean.ezweb.ne.jp[192.0.2.2] said: 550 <hana@ezweb.ne.jp>: User unknown (in reply to RCPT TO command)");
        let filtered = Delivery { recipient: Some("hana@docomo.ne.jp".into()), reason: Reason::Filtered, action: Some(crate::report::Action::Failed), diagnostic: Some("550 Unknown user hana@docomo.ne.jp".into()), ..Delivery::default() };
        let after_data = Report { kind: Kind::Bounce, advice: crate::advice::plan(Kind::Bounce, std::slice::from_ref(&filtered)), deliveries: vec![filtered], ..crate::diagnose(b"") };
        assert_eq!(at_rcpt.deliveries[0].reason, Reason::UserUnknown);
        for lang in [Lang::En, Lang::Ja] {
            let want = fill(lang, "verdict.reason", &[("reason", &text(lang, "cause.unknown-user-or-filter"))]);
            assert_eq!(verdict(&at_rcpt, lang), want);
            assert_eq!(verdict(&after_data, lang), want);
        }
        // An ordinary missing mailbox keeps its plain cause.
        let plain = crate::diagnose(b"<a@corp.example>: host mx.corp.example[192.0.2.1] said: 550 5.1.1 <a@corp.example>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)");
        assert_eq!(cause(&plain.deliveries[0], Lang::En), text(Lang::En, "reason.userunknown"));
    }

    #[test]
    fn recipients_with_different_outcomes_are_each_named_and_the_wait_names_its_own() {
        let delivery = |to: &str, action, status: &str, reason, words: &str| Delivery {
            recipient: Some(to.into()),
            action: Some(action),
            status: Some(status.into()),
            reason,
            diagnostic: Some(words.into()),
            retry_until: (action == crate::report::Action::Delayed).then(|| "2026-12-04T06:00:00Z".to_owned()),
            ..Delivery::default()
        };
        let deliveries = vec![
            delivery("a@one.example", crate::report::Action::Failed, "5.1.1", Reason::UserUnknown, "550 5.1.1 <a@one.example>: User unknown"),
            delivery("b@two.example", crate::report::Action::Delayed, "4.4.1", Reason::NetworkError, "connect to mx.two.example[192.0.2.9]:25: Connection timed out"),
            delivery("c@three.example", crate::report::Action::Delivered, "2.0.0", Reason::Delivered, "250 2.0.0 Ok"),
        ];
        let report = Report { kind: Kind::Bounce, advice: crate::advice::plan(Kind::Bounce, &deliveries), deliveries, ..crate::diagnose(b"") };
        for lang in [Lang::En, Lang::Ja] {
            let explanation = explain(&report, lang);
            for name in ["a@one.example", "b@two.example", "c@three.example"] {
                assert!(explanation.severity.contains(name), "{}", explanation.severity);
            }
            assert_ne!(explanation.severity, text(lang, "verdict.returned"));
            let wait = explanation.steps.iter().find(|s| s.id == AdviceId::DoNotResend).expect("the retried recipient waits");
            assert!(wait.body.contains("b@two.example") && !wait.body.contains("a@one.example"), "{}", wait.body);
            // The time is in the step itself, not "shown above" where nothing shows it.
            assert!(wait.body.contains(&readable_time("2026-12-04T06:00:00Z", lang)), "{}", wait.body);
            // The headline gives the first recipient's cause, so it names that recipient.
            assert!(explanation.verdict.contains("a@one.example") && !explanation.verdict.contains("b@two.example"), "{}", explanation.verdict);
            // A caller's own way of writing times (the page's Intl in the reader's zone) writes
            // every deadline of the texts.
            let local = explain_with_time(&report, lang, &|t| format!("<{t}>"));
            assert!(local.severity.contains("<2026-12-04T06:00:00Z>") && !local.severity.contains(&readable_time("2026-12-04T06:00:00Z", lang)), "{}", local.severity);
            let wait = local.steps.iter().find(|s| s.id == AdviceId::DoNotResend).expect("the retried recipient waits");
            assert!(wait.body.contains("<2026-12-04T06:00:00Z>"), "{}", wait.body);
        }
        // One recipient, or all alike: the single-outcome sentence as before.
        let single = Report { deliveries: report.deliveries[..1].to_vec(), ..report.clone() };
        assert_eq!(explain(&single, Lang::En).severity, text(Lang::En, "verdict.returned"));
    }

    /// A delivery status report (RFC 3464) with one recipient per `(recipient, action, status, words)`.
    fn status_report(recipients: &[(&str, &str, &str, &str)]) -> Report {
        let mut raw = String::from("From: postmaster@mta.sender.example\nSubject: Delivery Status Notification\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nSee below.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mta.sender.example\n");
        for (recipient, action, status, words) in recipients {
            raw += &format!("\nFinal-Recipient: rfc822; {recipient}\nAction: {action}\nStatus: {status}\nDiagnostic-Code: smtp; {words}\n");
        }
        raw += "\n--b--\n";
        crate::diagnose(raw.as_bytes())
    }

    #[test]
    fn a_returned_copy_beside_a_retried_one_is_not_worded_as_waiting_and_says_whose_it_is() {
        // try7: one recipient still retried (a timed-out connection), one returned for a full
        // mailbox. The returned copy's step must not promise the server's next try.
        let report = status_report(&[
            ("tanimoto@far.example", "delayed", "4.4.1", "421 4.4.1 Connection timed out"),
            ("ogawa@near.example", "failed", "5.2.2", "552 5.2.2 <ogawa@near.example>: Mailbox quota exceeded"),
        ]);
        let ids: Vec<&str> = report.advice.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["do-not-resend", "contact-recipient", "resend-after-fix"]);
        for lang in [Lang::En, Lang::Ja] {
            let explanation = explain(&report, lang);
            let contact = explanation.steps.iter().find(|s| s.id == AdviceId::ContactRecipient).unwrap();
            assert!(contact.body.contains(&text(lang, "advice.contact-recipient.mailboxfull")), "{}", contact.body);
            assert!(!contact.body.contains(&text(lang, "advice.contact-recipient.mailboxfull.retrying")), "{}", contact.body);
            assert!(contact.body.contains("ogawa@near.example") && !contact.body.contains("tanimoto@far.example"), "{}", contact.body);
            // The headline is the first recipient's (delayed), and says whom it is about.
            assert!(explanation.verdict.contains("tanimoto@far.example") && !explanation.verdict.contains("ogawa@near.example"), "{}", explanation.verdict);
            assert!(explanation.verdict.contains(&text(lang, "kind.delay")), "{}", explanation.verdict);
        }
        // Both copies still retried: the full mailbox's step waits for the next try.
        let waiting = status_report(&[
            ("tanimoto@far.example", "delayed", "4.4.1", "421 4.4.1 Connection timed out"),
            ("ogawa@near.example", "delayed", "4.2.2", "452 4.2.2 <ogawa@near.example>: Mailbox quota exceeded"),
        ]);
        let contact = explain(&waiting, Lang::En).steps.into_iter().find(|s| s.id == AdviceId::ContactRecipient).unwrap();
        let step = text(Lang::En, "advice.contact-recipient.mailboxfull.retrying");
        assert_eq!(contact.body, fill(Lang::En, "advice.for-recipients", &[("recipients", "ogawa@near.example"), ("step", &step)]));
    }

    #[test]
    fn steps_for_different_recipients_each_name_theirs() {
        let report = status_report(&[
            ("gone@far.example", "failed", "5.1.1", "550 5.1.1 <gone@far.example>: User unknown"),
            ("full@near.example", "failed", "5.2.2", "552 5.2.2 <full@near.example>: Mailbox quota exceeded"),
        ]);
        for lang in [Lang::En, Lang::Ja] {
            let steps = explain(&report, lang).steps;
            let body = |id| &steps.iter().find(|s| s.id == id).unwrap().body;
            for (id, ours, theirs) in [(AdviceId::FixAddress, "gone@", "full@"), (AdviceId::ContactRecipient, "full@", "gone@"), (AdviceId::ResendAfterFix, "full@", "gone@")] {
                assert!(body(id).contains(ours) && !body(id).contains(theirs), "{id:?}: {}", body(id));
            }
        }
        // A step for every recipient names none of them.
        let alike = status_report(&[
            ("one@far.example", "failed", "5.2.2", "552 5.2.2 Mailbox quota exceeded"),
            ("two@near.example", "failed", "5.2.2", "552 5.2.2 Mailbox quota exceeded"),
        ]);
        for step in explain(&alike, Lang::En).steps {
            assert!(!step.body.contains("one@") && !step.body.contains("two@"), "{}", step.body);
        }
    }

    #[test]
    fn a_listed_domain_is_the_cause_in_the_details_too() {
        let report = crate::diagnose(b"<jane@corp.example>: host mx.corp.example[192.0.2.1] said: 554 5.7.1 Service unavailable; Sender address [news@deals.example] blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/deals.example (in reply to RCPT TO command)");
        let delivery = &report.deliveries[0];
        assert!(delivery.blocklist.as_ref().is_some_and(Blocklist::lists_domain), "{delivery:?}");
        assert_eq!(cause(delivery, Lang::En), text(Lang::En, "cause.domain-listed"));
    }

    #[test]
    fn a_lookup_step_without_a_page_does_not_point_to_a_link() {
        let report = crate::diagnose(b"<finance@bigfirm.example>: host eu-smtp-inbound-1.mimecast.com[192.0.2.3] said: 550 Rejected by IP reputation - https://community.mimecast.com/docs/DOC-1369#550 [Xy12] (in reply to RCPT TO command)");
        for step in explain(&report, Lang::En).steps.iter().filter(|s| s.url.is_none()) {
            assert!(!step.body.contains("linked below"), "{}", step.body);
        }
    }

    #[test]
    fn a_local_delivery_failure_is_for_the_recipients_administrator_to_fix() {
        let delivery = Delivery { reason: Reason::MailerError, action: Some(crate::report::Action::Failed), status: Some("5.3.0".into()), ..Delivery::default() };
        let report = Report { kind: Kind::Bounce, advice: crate::advice::plan(Kind::Bounce, std::slice::from_ref(&delivery)), deliveries: vec![delivery], ..crate::diagnose(b"") };
        let step = explain(&report, Lang::En).steps.into_iter().find(|s| s.id == AdviceId::ContactRecipient).unwrap();
        assert!(step.body.contains("administrator can fix") && !step.body.contains("let your mail through"), "{}", step.body);
    }

    #[test]
    fn retry_limits_read_as_dates() {
        assert_eq!(readable_time("2023-11-25T10:00:00+09:00", Lang::En), "2023-11-25 10:00 UTC+09:00");
        assert_eq!(readable_time("2023-11-05T08:30:00Z", Lang::En), "2023-11-05 08:30 UTC");
        assert_eq!(readable_time("2023-11-05T08:30:00Z", Lang::Ja), "2023年11月5日8時30分 (UTC)");
        assert_eq!(readable_time("2023-11-25T00:05:00-08:00", Lang::Ja), "2023年11月25日0時05分 (UTC-08:00)");
        assert_eq!(readable_time("soon", Lang::En), "soon");
    }

    #[test]
    fn a_form_without_the_ip_in_its_url_gets_a_copy_button() {
        let en = explain(&crate::diagnose(SEED), Lang::En);
        let check = en.steps.iter().find(|s| s.id == AdviceId::CheckIpReputation).unwrap();
        assert_eq!(check.copy_ip.as_deref(), Some("203.0.113.5"));
        let ja = explain(&crate::diagnose(SEED), Lang::Ja);
        let check = ja.steps.iter().find(|s| s.id == AdviceId::CheckIpReputation).unwrap();
        assert_eq!(check.url.as_deref(), Some("https://servicecentral.trendmicro.com/ja-JP/ers/ip-lookup/"));
    }

    #[test]
    fn a_pasted_line_that_does_not_say_whether_it_came_back_is_not_worded_as_returned() {
        let unsure = crate::diagnose(b"<ayu@bank.example>: TLS is required, but was not offered by host mx.bank.example[192.0.2.50]\n");
        assert_eq!(unsure.deliveries[0].action, None);
        for lang in [Lang::En, Lang::Ja] {
            let explanation = explain(&unsure, lang);
            assert_eq!(explanation.severity, text(lang, "verdict.return-unknown"));
            assert!(explanation.steps.iter().any(|s| s.body == text(lang, "advice.resend-after-fix.unsure")));
        }
        // A null MX refusal is permanent (RFC 7505): returned, even without a code.
        let null_mx = crate::diagnose(b"<ayu@parked.example>: Domain parked.example does not accept mail (nullMX)\n");
        assert_eq!(null_mx.deliveries[0].action, Some(crate::Action::Failed));
        assert_eq!(explain(&null_mx, Lang::En).severity, text(Lang::En, "verdict.returned"));
    }
}
