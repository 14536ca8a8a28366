//! Planning the advice: from the deliveries to one ordered list of steps, with no step twice.
//! The decision follows the seed's story: still retrying means wait and do not resend; returned
//! means fix, delist, then resend; who can act depends on the list.

use crate::report::{Action, Advice, AdviceId, Delivery, Kind, Reason};
use crate::reputation::{self, Removal};

/// True when the sending server still holds the message and will try again by itself.
pub fn still_retrying(delivery: &Delivery) -> bool {
    match delivery.action {
        Some(Action::Delayed) => true,
        Some(_) => false,
        // A pasted reply alone: a 4xx means the sender's server keeps the message queued.
        None => delivery.reason != Reason::Expired && temporary_code(delivery),
    }
}

fn temporary_code(delivery: &Delivery) -> bool {
    let class = delivery.status.as_deref().or(delivery.reply_code.as_deref()).and_then(|s| s.chars().next());
    class == Some('4')
}

/// The plan for a whole message, most urgent first.
pub fn plan(kind: Kind, deliveries: &[Delivery]) -> Vec<Advice> {
    let mut steps: Vec<Advice> = Vec::new();
    let mut add = |advice: Advice| {
        if !steps.iter().any(|s| s.id == advice.id && s.provider == advice.provider) {
            steps.push(advice);
        }
    };
    if matches!(kind, Kind::Feedback | Kind::Autoreply | Kind::Delivered | Kind::NotABounce) {
        return Vec::new();
    }
    for delivery in deliveries {
        let retrying = still_retrying(delivery);
        if retrying {
            add(Advice::new(AdviceId::DoNotResend));
        }
        if let Some(blocklist) = &delivery.blocklist {
            let removal = reputation::provider(&blocklist.provider).map_or(Removal::Request, |p| p.removal);
            let with = |id: AdviceId, url: Option<&String>| Advice {
                id,
                url: url.cloned(),
                provider: Some(blocklist.provider.clone()),
                ip: blocklist.ip.clone(),
            };
            let recipients_own = blocklist.list.as_deref() == Some("Customized-Block");
            if recipients_own || matches!(removal, Removal::Recipient | Removal::Defunct) {
                add(with(AdviceId::ContactRecipient, None));
                continue;
            }
            add(with(AdviceId::CheckIpReputation, blocklist.lookup_url.as_ref()));
            match removal {
                Removal::Request if blocklist.list.as_deref() != Some("DUL") => {
                    add(with(AdviceId::FixRootCause, None));
                    add(with(AdviceId::RequestDelisting, blocklist.delist_url.as_ref()));
                }
                Removal::None => add(with(AdviceId::NoDelisting, None)),
                _ => {}
            }
            if blocklist.list.as_deref() == Some("DUL") {
                add(with(AdviceId::ContactIspOrHost, None));
            }
            if !retrying {
                add(Advice::new(AdviceId::ResendAfterDelisting));
            }
            add(Advice::new(AdviceId::MonitorRelisting));
        } else {
            match delivery.reason {
                Reason::UserUnknown | Reason::HostUnknown | Reason::HasMoved => add(Advice::new(AdviceId::FixAddress)),
                // A delay with the connection cut and no list named: a reputation block is the usual
                // cause (the seed's second case), so suggest a check, worded as a suspicion.
                Reason::NetworkError | Reason::OnHold | Reason::Undefined if retrying => add(Advice::new(AdviceId::CheckIpReputation)),
                Reason::SystemError | Reason::SystemFull | Reason::NetworkError | Reason::TooManyConn | Reason::Speeding => {
                    if !retrying {
                        add(Advice::new(AdviceId::RetryLater));
                    }
                }
                _ => {}
            }
        }
    }
    steps.sort_by_key(|s| urgency(s.id));
    steps
}

fn urgency(id: AdviceId) -> u8 {
    match id {
        AdviceId::DoNotResend => 0,
        AdviceId::FixRootCause => 1,
        AdviceId::CheckIpReputation => 2,
        AdviceId::RequestDelisting => 3,
        AdviceId::ContactIspOrHost => 4,
        AdviceId::ContactRecipient => 5,
        AdviceId::NoDelisting => 6,
        AdviceId::FixAddress => 7,
        AdviceId::RetryLater => 8,
        AdviceId::ResendAfterDelisting => 9,
        AdviceId::MonitorRelisting => 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Blocklist;

    fn blocked(action: Option<Action>, reply: &str, provider: &str, list: Option<&str>) -> Delivery {
        Delivery {
            action,
            reply_code: Some(reply.into()),
            reason: Reason::Blocked,
            blocklist: Some(Blocklist {
                provider: provider.into(),
                list: list.map(Into::into),
                ip: Some("192.0.2.1".into()),
                lookup_url: Some("https://example.org/lookup".into()),
                delist_url: Some("https://example.org/delist".into()),
                retired_url: None,
            }),
            ..Delivery::default()
        }
    }

    fn ids(plan: &[Advice]) -> Vec<AdviceId> {
        plan.iter().map(|a| a.id).collect()
    }

    #[test]
    fn delayed_block_means_do_not_resend_first() {
        let plan = plan(Kind::Delay, &[blocked(Some(Action::Delayed), "450", "trendmicro-ers", None)]);
        assert_eq!(ids(&plan)[0], AdviceId::DoNotResend);
        assert!(ids(&plan).contains(&AdviceId::CheckIpReputation));
        assert!(!ids(&plan).contains(&AdviceId::ResendAfterDelisting));
    }

    #[test]
    fn returned_block_means_delist_then_resend() {
        let plan = plan(Kind::Bounce, &[blocked(Some(Action::Failed), "550", "spamhaus", None)]);
        assert_eq!(
            ids(&plan),
            vec![AdviceId::FixRootCause, AdviceId::CheckIpReputation, AdviceId::RequestDelisting, AdviceId::ResendAfterDelisting, AdviceId::MonitorRelisting]
        );
    }

    #[test]
    fn recipients_own_block_and_dead_lists_go_to_the_recipient() {
        let plan = plan(Kind::Bounce, &[blocked(Some(Action::Failed), "550", "trendmicro-ers", Some("Customized-Block"))]);
        assert_eq!(ids(&plan), vec![AdviceId::ContactRecipient]);
        let dead = super::plan(Kind::Delay, &[blocked(Some(Action::Delayed), "450", "sorbs", None)]);
        assert_eq!(ids(&dead), vec![AdviceId::DoNotResend, AdviceId::ContactRecipient]);
    }

    #[test]
    fn pasted_4xx_is_still_retrying_and_steps_are_not_repeated() {
        let d = blocked(None, "450", "trendmicro-ers", None);
        let plan = plan(Kind::Bounce, &[d.clone(), d]);
        assert_eq!(ids(&plan).iter().filter(|&&id| id == AdviceId::DoNotResend).count(), 1);
        assert_eq!(ids(&plan).iter().filter(|&&id| id == AdviceId::CheckIpReputation).count(), 1);
    }
}
