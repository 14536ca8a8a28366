//! `--summary`: what an administrator needs after an incident — how many bounces, grouped by
//! reason, provider and IP, with the first step of the plan for each group; or (`--by step`) how
//! many messages call for each step of a plan, with the provider and IP the step is about.

use std::collections::HashMap;

use bounce_doctor::i18n::{self, Lang};
use bounce_doctor::{AdviceId, Delivery, Kind, Report, advice, render};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct GroupKey {
    /// The report's reason (the contract's vocabulary), as in the JSON and the text.
    pub reason: String,
    /// The one cause the verdict names: a refusal the reply names, else the reason.
    pub cause: String,
    /// Whether the sending server gave the message up or still retries it (the same cause
    /// calls for a resend in one case and for waiting in the other), or neither.
    pub outcome: Outcome,
    pub provider: Option<String>,
    pub ip: Option<String>,
}

/// What became of a delivery, for grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Returned,
    Retrying,
    /// Delivered or passed on (a success report, or such a recipient beside failed ones).
    Delivered,
    /// An auto-reply or a complaint report: no delivery failed, nothing came back or waits.
    NotABounce,
}

impl Outcome {
    fn of(report: &Report, delivery: &Delivery) -> Outcome {
        if matches!(report.kind, Kind::Autoreply | Kind::Feedback) {
            Outcome::NotABounce
        } else if advice::delivered(delivery) {
            Outcome::Delivered
        } else if advice::still_retrying(delivery) {
            Outcome::Retrying
        } else {
            Outcome::Returned
        }
    }

    /// Its catalogue key.
    fn key(self) -> &'static str {
        match self {
            Outcome::Returned => "cli.summary.returned",
            Outcome::Retrying => "cli.summary.retrying",
            Outcome::Delivered => "cli.summary.delivered",
            Outcome::NotABounce => "cli.summary.not-a-bounce",
        }
    }
}

/// What the table's rows stand for.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// Deliveries by the one cause the verdict names, provider and IP.
    #[default]
    Cause,
    /// Messages by the steps of their plan (a message counts once under each of its steps).
    Step,
}

/// A step of a plan, with the provider and IP it is about; no step for a plan with none.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct StepKey {
    step: Option<&'static str>,
    provider: Option<String>,
    ip: Option<String>,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub messages: usize,
    pub not_bounces: usize,
    pub unreadable: usize,
    pub deliveries: usize,
    by: GroupBy,
    groups: HashMap<GroupKey, Group>,
    steps: HashMap<StepKey, usize>,
}

#[derive(Debug, Default, Clone, Serialize)]
struct Group {
    count: usize,
    first_step: Option<String>,
}

#[derive(Serialize)]
struct StepRow<'a> {
    count: usize,
    step: Option<&'a str>,
    provider: Option<&'a str>,
    ip: Option<&'a str>,
}

#[derive(Serialize)]
struct Row<'a> {
    count: usize,
    reason: &'a str,
    cause: &'a str,
    outcome: Outcome,
    provider: Option<&'a str>,
    ip: Option<&'a str>,
    first_step: Option<&'a str>,
}

impl Summary {
    pub fn new(by: GroupBy) -> Summary {
        Summary { by, ..Summary::default() }
    }

    pub fn add(&mut self, report: &Report) {
        self.messages += 1;
        if report.kind == Kind::NotABounce {
            self.not_bounces += 1;
            return;
        }
        if self.by == GroupBy::Step {
            self.deliveries += report.deliveries.len();
            let mut keys: Vec<StepKey> = report
                .advice
                .iter()
                .map(|a| StepKey { step: Some(a.id.as_str()), provider: a.provider.clone(), ip: a.ip.clone() })
                .collect();
            if keys.is_empty() {
                keys.push(StepKey { step: None, provider: None, ip: None });
            }
            // A plan names a step once per provider and IP; count the message once for it.
            keys.sort();
            keys.dedup();
            for key in keys {
                *self.steps.entry(key).or_default() += 1;
            }
            return;
        }
        for delivery in &report.deliveries {
            self.deliveries += 1;
            let outcome = Outcome::of(report, delivery);
            // A returned delivery's first step is never the wait meant for another recipient
            // of the same message that is still retried.
            let first_step = report.advice.iter().find(|a| outcome == Outcome::Retrying || a.id != AdviceId::DoNotResend).map(|a| a.id.as_str().to_owned());
            let key = GroupKey {
                reason: delivery.reason.as_str().to_owned(),
                cause: advice::cause_id(delivery).to_owned(),
                outcome,
                provider: delivery.blocklist.as_ref().map(|b| b.provider.clone()),
                ip: delivery.blocklist.as_ref().and_then(|b| b.ip.clone()),
            };
            let group = self.groups.entry(key).or_default();
            group.count += 1;
            if group.first_step.is_none() {
                group.first_step.clone_from(&first_step);
            }
        }
    }

    /// Groups by count, largest first, then by key for a stable order.
    fn rows(&self) -> Vec<Row<'_>> {
        let mut rows: Vec<_> = self
            .groups
            .iter()
            .map(|(key, group)| Row {
                count: group.count,
                reason: &key.reason,
                cause: &key.cause,
                outcome: key.outcome,
                provider: key.provider.as_deref(),
                ip: key.ip.as_deref(),
                first_step: group.first_step.as_deref(),
            })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| (a.reason, a.cause, a.outcome, a.provider, a.ip).cmp(&(b.reason, b.cause, b.outcome, b.provider, b.ip))));
        rows
    }

    /// Steps by the number of messages calling for them, largest first, then by key.
    fn step_rows(&self) -> Vec<StepRow<'_>> {
        let mut keys: Vec<(&StepKey, usize)> = self.steps.iter().map(|(key, &count)| (key, count)).collect();
        keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        keys.into_iter().map(|(key, count)| StepRow { count, step: key.step, provider: key.provider.as_deref(), ip: key.ip.as_deref() }).collect()
    }

    pub fn to_json(&self) -> serde_json::Value {
        let groups = match self.by {
            GroupBy::Cause => serde_json::json!(self.rows()),
            GroupBy::Step => serde_json::json!(self.step_rows()),
        };
        serde_json::json!({
            "summary": {
                "messages": self.messages,
                "not_bounces": self.not_bounces,
                "unreadable": self.unreadable,
                "deliveries": self.deliveries,
                "by": self.by,
                "groups": groups,
            }
        })
    }

    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = i18n::fill(
            lang,
            "cli.summary.head",
            &[
                ("messages", &self.messages.to_string()),
                ("deliveries", &self.deliveries.to_string()),
                ("not_bounces", &self.not_bounces.to_string()),
                ("unreadable", &self.unreadable.to_string()),
            ],
        );
        out.push('\n');
        if self.by == GroupBy::Step {
            out.push_str(&i18n::text(lang, "cli.summary.by_step"));
            out.push('\n');
            for row in self.step_rows() {
                let title = row.step.map_or_else(|| i18n::text(lang, "cli.summary.no_step"), |step| i18n::text(lang, &format!("advice.{step}.title")));
                let mut line = format!("{:>7} × {title}", row.count);
                if let Some(step) = row.step {
                    line.push_str(&format!(" ({step})"));
                }
                if let Some(provider) = row.provider {
                    line.push_str(&format!(" · {}", render::provider_display_name(lang, provider)));
                }
                if let Some(ip) = row.ip {
                    line.push_str(&format!(" · {ip}"));
                }
                out.push_str(&line);
                out.push('\n');
            }
            return out;
        }
        for row in self.rows() {
            // The cause's words with the reason's name, as the text report writes them.
            let key = if bounce_doctor::Reason::from_name(row.cause).is_some() { "reason" } else { "cause" };
            let reason = i18n::text(lang, &format!("{key}.{}", row.cause));
            let provider = row.provider.map(|id| render::provider_display_name(lang, id));
            let outcome = i18n::text(lang, row.outcome.key());
            let mut line = format!("{:>7} × {} ({}) · {outcome}", row.count, reason, row.reason);
            if let Some(provider) = provider {
                line.push_str(&format!(" · {provider}"));
            }
            if let Some(ip) = row.ip {
                line.push_str(&format!(" · {ip}"));
            }
            if let Some(step) = row.first_step {
                line.push_str(&format!(" → {}", i18n::text(lang, &format!("advice.{step}.title"))));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}
