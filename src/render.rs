//! Writing a report for people: the verdict sentence, the plan as localised steps, and the
//! plain-text block the CLI prints (and the page copies for a helpdesk ticket).

use serde::Serialize;

use crate::advice::still_retrying;
use crate::i18n::{Lang, catalogue, fill, text};
use crate::report::{Advice, AdviceId, Blocklist, Delivery, Kind, Reason, Report};
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
    pub steps: Vec<Step>,
    pub notes: Vec<String>,
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

/// The one plain sentence that says what happened.
pub fn verdict(report: &Report, lang: Lang) -> String {
    let kind_text = || text(lang, &format!("kind.{}", kind_key(report.kind)));
    let Some(delivery) = main_delivery(report) else { return kind_text() };
    if !matches!(report.kind, Kind::Bounce | Kind::Delay) {
        return kind_text();
    }
    let Some(bl) = &delivery.blocklist else {
        if matches!(delivery.reason, Reason::Blocked | Reason::BadReputation) {
            return text(lang, "verdict.unnamed-block");
        }
        return fill(lang, "verdict.reason", &[("reason", &text(lang, &format!("reason.{}", delivery.reason.as_str())))]);
    };
    let name = provider_name_with_list(lang, bl);
    let provider = reputation::provider(&bl.provider);
    let removal = provider.map_or(Removal::Unknown, |p| p.removal);
    let ip = bl.ip.as_deref();
    if reputation::list_kind(delivery) == ListKind::RecipientOwn {
        return fill(lang, "verdict.recipient-own", &[("provider", &name)]);
    }
    if removal == Removal::Defunct {
        return fill(lang, "verdict.defunct", &[("provider", &name)]);
    }
    if provider.is_some_and(|p| p.source == Source::Receiver) {
        return match ip {
            Some(ip) => fill(lang, "verdict.reputation-ip", &[("ip", ip), ("provider", &name)]),
            None => fill(lang, "verdict.reputation-noip", &[("provider", &name)]),
        };
    }
    let when = if still_retrying(delivery) { "retrying" } else { "returned" };
    match ip {
        Some(ip) => fill(lang, &format!("verdict.blocked-ip.{when}"), &[("ip", ip), ("provider", &name)]),
        None => fill(lang, &format!("verdict.blocked-noip.{when}"), &[("provider", &name)]),
    }
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

/// The catalogue key and values of one step's body.
fn step_body(report: &Report, advice: &Advice, lang: Lang) -> String {
    let id = advice.id.as_str();
    let ip = advice.ip.as_deref();
    let provider_id = advice.provider.as_deref().unwrap_or("");
    let listing = listing_of(report, advice);
    let name = match listing {
        Some((_, bl)) if bl.provider == provider_id => provider_name(lang, bl),
        _ => text(lang, &format!("provider.{provider_id}.name")),
    };
    let facts = optional(lang, &format!("provider.{provider_id}.delist"))
        .or_else(|| optional(lang, &format!("provider.{provider_id}.ends")))
        .unwrap_or_else(|| text(lang, "provider.generic.delist"));
    let key = match advice.id {
        AdviceId::CheckIpReputation => check_key(report, advice),
        AdviceId::ContactIspOrHost => match listing {
            Some((_, bl)) if bl.relay.is_some() => "relay".to_owned(),
            Some((delivery, _)) => match reputation::list_kind(delivery) {
                ListKind::Dynamic => "dynamic".to_owned(),
                ListKind::Policy => "policy".to_owned(),
                ListKind::Network => "network".to_owned(),
                _ => "body".to_owned(),
            },
            None => "body".to_owned(),
        },
        AdviceId::ContactRecipient => match listing {
            Some((delivery, _)) if reputation::list_kind(delivery) == ListKind::RecipientOwn => "recipient-own".to_owned(),
            _ if reputation::provider(provider_id).is_some_and(|p| p.removal == Removal::Defunct) => "defunct".to_owned(),
            _ if optional(lang, &format!("advice.{id}.{provider_id}")).is_some() => provider_id.to_owned(),
            _ => "body".to_owned(),
        },
        AdviceId::NoDelisting if optional(lang, &format!("provider.{provider_id}.ends")).is_none() => "generic".to_owned(),
        AdviceId::MonitorRelisting if optional(lang, &format!("advice.{id}.{provider_id}")).is_some() => provider_id.to_owned(),
        _ => "body".to_owned(),
    };
    let host = listing.and_then(|(_, bl)| bl.relay.clone()).unwrap_or_default();
    let facts = if advice.id == AdviceId::ContactRecipient { optional(lang, &format!("provider.{provider_id}.ends")).unwrap_or_default() } else { facts };
    fill(lang, &format!("advice.{id}.{key}"), &[("ip", ip.unwrap_or("IP")), ("provider", &name), ("facts", &facts), ("host", &host)])
}

/// Which wording of the lookup step fits: a suspicion, an unknown IP, the provider's own way.
fn check_key(report: &Report, advice: &Advice) -> String {
    let Some(provider_id) = advice.provider.as_deref() else {
        let unnamed = report.deliveries.iter().any(|d| d.blocklist.is_none() && matches!(d.reason, Reason::Blocked | Reason::BadReputation));
        return if unnamed { "unnamed" } else { "suspect" }.to_owned();
    };
    if advice.ip.is_none() {
        return "noip".to_owned();
    }
    if provider_id == GENERIC_DNSBL {
        return "generic".to_owned();
    }
    if provider_id == "trendmicro-ers" {
        return provider_id.to_owned();
    }
    match (&advice.url, advice.ip.as_deref()) {
        (Some(url), Some(ip)) if url.contains(ip) => "body",
        (Some(_), _) => "form",
        (None, _) => "nolookup",
    }
    .to_owned()
}

/// A link of the table in the reader's language, where the provider has one.
fn localised_url(url: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => url.replace("servicecentral.trendmicro.com/en-US/", "servicecentral.trendmicro.com/ja-JP/"),
        Lang::En => url.to_owned(),
    }
}

/// The report in words: verdict, severity and the steps.
pub fn explain(report: &Report, lang: Lang) -> Explanation {
    let delivery = main_delivery(report);
    let retrying = delivery.is_some_and(still_retrying);
    let severity = match delivery {
        _ if !matches!(report.kind, Kind::Bounce | Kind::Delay) => String::new(),
        Some(d) if retrying => match &d.retry_until {
            Some(until) => fill(lang, "verdict.retrying-until", &[("until", until)]),
            None => text(lang, "verdict.retrying"),
        },
        Some(_) => text(lang, "verdict.returned"),
        None => String::new(),
    };
    let steps = report
        .advice
        .iter()
        .map(|advice| {
            let url = advice.url.as_deref().map(|u| localised_url(u, lang));
            let copy_ip = match (&url, advice.ip.as_deref()) {
                (Some(url), Some(ip)) if !url.contains(ip) && !url.starts_with("mailto:") => Some(ip.to_owned()),
                _ => None,
            };
            Step {
                id: advice.id,
                title: text(lang, &format!("advice.{}.title", advice.id.as_str())),
                body: step_body(report, advice, lang),
                url,
                copy_ip,
            }
        })
        .collect();
    let mut notes: Vec<String> = report.notes.iter().map(|note| text(lang, &format!("note.{}", note.as_str()))).collect();
    for url in report.deliveries.iter().filter_map(|d| d.blocklist.as_ref()?.retired_url.as_deref()) {
        let note = fill(lang, "label.retired", &[("url", url)]);
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    Explanation { verdict: verdict(report, lang), severity, retrying, steps, notes }
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
                out.push_str(&format!("  {}: {value}\n", text(lang, key)));
            }
        };
        line(&mut out, "label.recipient", delivery.recipient.as_deref());
        line(&mut out, "label.reason", Some(&format!("{} ({})", text(lang, &format!("reason.{}", delivery.reason.as_str())), delivery.reason.as_str())));
        line(&mut out, "label.status", delivery.status.as_deref());
        line(&mut out, "label.reply-code", delivery.reply_code.as_deref());
        line(&mut out, "label.remote-mta", delivery.remote_mta.as_deref());
        line(&mut out, "label.diagnostic", delivery.diagnostic.as_deref());
        if let Some(bl) = &delivery.blocklist {
            line(&mut out, "label.provider", Some(&provider_name(lang, bl)));
            line(&mut out, "label.list", bl.list.as_deref());
            line(&mut out, "label.ip", bl.ip.as_deref());
        }
        line(&mut out, "label.retry-until", delivery.retry_until.as_deref());
    }
    if !explanation.steps.is_empty() {
        out.push_str(&format!("\n{}:\n", text(lang, "label.advice")));
        for (n, step) in explanation.steps.iter().enumerate() {
            out.push_str(&format!("  {}. {}: {}\n", n + 1, step.title, step.body));
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

    const SEED: &[u8] = b"said: 450 4.7.1 Service temporarily unavailable; Client host [203.0.113.5] blocked\nusing Trend Micro Network Anti-Spam Service. Please see\nhttp://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.5; Mail\nfrom 203.0.113.5 deferred using Trend Micro Email Reputation database.\n";

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
}
