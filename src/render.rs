//! Writing a report for people: the verdict sentence, the plan as localised steps, and the
//! plain-text block the CLI prints (and the page copies for a helpdesk ticket).

use serde::Serialize;

use crate::advice::still_retrying;
use crate::i18n::{Lang, fill, text};
use crate::report::{AdviceId, Delivery, Kind, Report};
use crate::reputation;

/// One step of the plan, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub id: AdviceId,
    pub title: String,
    pub body: String,
    /// A link from the project's own provider table, never one taken from the mail.
    pub url: Option<String>,
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

fn provider_name(id: &str) -> &str {
    reputation::provider(id).map_or(id, |p| p.name)
}

/// The delivery the verdict speaks of: a blocked one first, else the first.
fn main_delivery(report: &Report) -> Option<&Delivery> {
    report.deliveries.iter().find(|d| d.blocklist.is_some()).or_else(|| report.deliveries.first())
}

/// The one plain sentence that says what happened.
pub fn verdict(report: &Report, lang: Lang) -> String {
    let Some(delivery) = main_delivery(report) else {
        return text(lang, &format!("kind.{}", kind_key(report.kind)));
    };
    if !matches!(report.kind, Kind::Bounce | Kind::Delay) {
        return text(lang, &format!("kind.{}", kind_key(report.kind)));
    }
    match &delivery.blocklist {
        Some(bl) => {
            let name = match &bl.list {
                Some(list) if bl.provider == "generic-dnsbl" => list.clone(),
                Some(list) => format!("{} ({list})", provider_name(&bl.provider)),
                None => provider_name(&bl.provider).to_owned(),
            };
            match &bl.ip {
                Some(ip) => fill(lang, "verdict.blocked-ip", &[("ip", ip), ("provider", &name)]),
                None => fill(lang, "verdict.blocked-noip", &[("provider", &name)]),
            }
        }
        None => fill(lang, "verdict.reason", &[("reason", &text(lang, &format!("reason.{}", delivery.reason.as_str())))]),
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
            let id = advice.id.as_str();
            let ip = advice.ip.as_deref();
            let body_key = match advice.id {
                AdviceId::CheckIpReputation if advice.provider.is_none() => format!("advice.{id}.suspect"),
                AdviceId::CheckIpReputation if ip.is_none() => format!("advice.{id}.noip"),
                _ => format!("advice.{id}.body"),
            };
            Step {
                id: advice.id,
                title: text(lang, &format!("advice.{id}.title")),
                body: fill(lang, &body_key, &[("ip", ip.unwrap_or("IP"))]),
                url: advice.url.clone(),
            }
        })
        .collect();
    let notes = report
        .notes
        .iter()
        .map(|note| text(lang, &format!("note.{}", note.as_str())))
        .collect();
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
            line(&mut out, "label.provider", Some(provider_name(&bl.provider)));
            line(&mut out, "label.list", bl.list.as_deref());
            line(&mut out, "label.ip", bl.ip.as_deref());
            if let Some(url) = &bl.retired_url {
                out.push_str(&format!("  {}\n", fill(lang, "label.retired", &[("url", url)])));
            }
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
