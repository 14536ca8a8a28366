//! Planning the advice: from the deliveries to one ordered list of steps, with no step twice.
//! The decision follows the seed's story: still retrying means wait and do not resend; returned
//! means fix, delist, then resend; who can act depends on the list.

use crate::report::{Action, Advice, AdviceId, Blocklist, Delivery, Kind, Reason};
use crate::reputation::refusal::{self, Refusal};
use crate::reputation::{self, ListKind, Removal};

/// True when the sending server still holds the message and will try again by itself.
pub fn still_retrying(delivery: &Delivery) -> bool {
    match delivery.action {
        Some(Action::Delayed) => true,
        Some(_) => false,
        None => match delivery.notice {
            Some(Kind::Bounce) => false,
            Some(Kind::Delay) => true,
            // A pasted reply alone: a 4xx means the sender's server keeps the message queued.
            _ => delivery.reason != Reason::Expired && temporary_code(delivery),
        },
    }
}

/// True when the plan for the delivery is to wait for the sending server's retries (its step
/// `do-not-resend`). The receiver may say its deferral is for good: the retries will all fail and
/// nothing queued goes out by itself (Yahoo's "[TS03] All messages from <ip> will be permanently
/// deferred; Retrying will NOT succeed", Yahoo Sender Hub's SMTP error codes), so waiting is no
/// step; resending waits for the message to come back.
pub fn waits(delivery: &Delivery) -> bool {
    still_retrying(delivery) && !retrying_is_futile(delivery)
}

/// True when the report says the message reached the recipient or was passed on (RFC 3464's
/// delivered, relayed and expanded): it was neither returned nor is it retried.
pub fn delivered(delivery: &Delivery) -> bool {
    matches!(delivery.action, Some(Action::Delivered | Action::Relayed | Action::Expanded)) || delivery.reason == Reason::Delivered
}

/// Whether the server's words hold the pattern.
fn words_say(delivery: &Delivery, pattern: &'static crate::pattern::Lazy) -> bool {
    delivery.diagnostic.as_deref().is_some_and(|text| pattern.get().is_match(text.as_bytes()))
}

/// The receiver says its deferral is for good (see [`plan`]).
fn retrying_is_futile(delivery: &Delivery) -> bool {
    static RE: crate::pattern::Lazy = crate::pattern::Lazy::new(r"(?i)retrying will not succeed|will be permanently deferred");
    words_say(delivery, &RE)
}

/// The policy that refused is the sender's own organisation's, so its administrator acts (the
/// contract's "contact-mail-admin when the sender's own system refused"): Exchange Online's
/// "5.7.520 Access denied, Your organization does not allow external forwarding" (Microsoft's
/// NDR page for 5.7.520; its outbound spam policy's automatic-forwarding setting).
fn senders_own_policy(delivery: &Delivery) -> bool {
    static RE: crate::pattern::Lazy = crate::pattern::Lazy::new(r"(?i)your organi[sz]ation (?:does not|doesn'?t) allow|\b5\.7\.520\b");
    delivery.reason == Reason::PolicyViolation && words_say(delivery, &RE)
}

/// Greylisting, in the classifier's words for it (one pattern: `classify::names_greylisting`).
fn greylisted(delivery: &Delivery) -> bool {
    delivery.diagnostic.as_deref().is_some_and(crate::classify::names_greylisting)
}

fn temporary_code(delivery: &Delivery) -> bool {
    let class = delivery.status.as_deref().or(delivery.reply_code.as_deref()).and_then(|s| s.chars().next());
    class == Some('4')
}

/// Collects steps in order, each once: provider-specific steps once per provider, the others
/// once per message.
#[derive(Default)]
struct Plan(Vec<Advice>);

impl Plan {
    fn add(&mut self, advice: Advice) {
        if !self.0.iter().any(|s| same_step(s, &advice)) {
            self.0.push(advice);
        }
    }
}

/// Whether two steps are one step of a plan: the same id, and for a provider's steps the same
/// provider.
pub fn same_step(a: &Advice, b: &Advice) -> bool {
    let per_provider = matches!(a.id, AdviceId::CheckIpReputation | AdviceId::RequestDelisting | AdviceId::NoDelisting | AdviceId::ContactRecipient | AdviceId::CheckDomainReputation);
    a.id == b.id && (!per_provider || a.provider == b.provider)
}

/// The contract's table "Which steps a reason calls for": the steps of a returned message, in
/// order; a delivery still retrying gets `do-not-resend` first and none of the resend steps.
/// Blocked and bad reputation are the listing plan ([`plan_block`]) when a list is named.
pub static REASON_PLANS: &[(&[Reason], &[AdviceId])] = &[
    (&[Reason::UserUnknown, Reason::HostUnknown, Reason::HasMoved, Reason::NotAccept], &[AdviceId::FixAddress]),
    (
        &[Reason::MailboxFull, Reason::Suspend, Reason::ExceedLimit, Reason::Filtered, Reason::MailerError],
        &[AdviceId::ContactRecipient, AdviceId::ResendAfterFix],
    ),
    (&[Reason::MesgTooBig], &[AdviceId::ReduceMessageSize, AdviceId::ResendAfterFix]),
    (
        &[Reason::Rejected, Reason::NoRelaying, Reason::SecurityError, Reason::FailedStartTls, Reason::SyntaxError],
        &[AdviceId::ContactMailAdmin, AdviceId::ResendAfterFix],
    ),
    (&[Reason::AuthFailure], &[AdviceId::FixAuthentication, AdviceId::ResendAfterFix]),
    // Reverse DNS is set by whoever owns the IP block: the ISP, host or cloud provider.
    (&[Reason::RequirePtr], &[AdviceId::ContactIspOrHost, AdviceId::ResendAfterFix]),
    (
        &[Reason::SpamDetected, Reason::VirusDetected, Reason::ContentError, Reason::NotCompliantRfc],
        &[AdviceId::FixContent, AdviceId::ResendAfterFix],
    ),
    (&[Reason::PolicyViolation], &[AdviceId::ContactRecipient, AdviceId::ResendAfterFix]),
    // The receiver refused the IP without naming a list: a lookup at the common lists.
    (&[Reason::Blocked, Reason::BadReputation], &[AdviceId::CheckIpReputation, AdviceId::ResendAfterDelisting]),
    // The contract's minimum is slow-down alone; its heading gives a returned message a resend
    // step (resend-after-fix: "send it again once the cause named in the other steps is fixed"),
    // since nothing queued goes out by itself (cPanel's "max emails per hour ... Message
    // discarded"). While the server retries, the resend step is dropped as for every reason.
    (&[Reason::TooManyConn, Reason::Speeding], &[AdviceId::SlowDown, AdviceId::ResendAfterFix]),
    (&[Reason::SystemError, Reason::SystemFull, Reason::NetworkError, Reason::Expired], &[AdviceId::RetryLater]),
    (&[Reason::OnHold, Reason::Undefined], &[AdviceId::ContactRecipient, AdviceId::ResendAfterFix]),
    // Not bounces: a complaint, an auto-reply, a success, the sending service's own suppression.
    (&[Reason::Feedback, Reason::Vacation, Reason::Delivered], &[]),
    (&[Reason::Suppressed], &[AdviceId::FixAddress]),
];

/// The steps the contract's table gives a reason.
pub fn reason_plan(reason: Reason) -> &'static [AdviceId] {
    REASON_PLANS.iter().find(|(reasons, _)| reasons.contains(&reason)).map_or(&[], |(_, steps)| steps)
}

/// The plan for a whole message, most urgent first.
pub fn plan(kind: Kind, deliveries: &[Delivery]) -> Vec<Advice> {
    if matches!(kind, Kind::Feedback | Kind::Autoreply | Kind::Delivered | Kind::NotABounce) {
        return Vec::new();
    }
    let mut plan = Plan::default();
    for delivery in deliveries {
        let retrying = still_retrying(delivery);
        if waits(delivery) {
            plan.add(Advice::new(AdviceId::DoNotResend));
        }
        let mut steps = Plan::default();
        match (refusal(delivery), &delivery.blocklist) {
            (Some(refusal), _) => plan_refusal(&mut steps, delivery, refusal),
            (None, Some(blocklist)) => {
                plan_block(&mut steps, delivery, blocklist);
                for other in reputation::also_cited(delivery) {
                    let also = Blocklist {
                        provider: other.id.to_owned(),
                        list: None,
                        lookup_url: other.lookup.map(|url| reputation::fill_ip(url, blocklist.ip.as_deref())),
                        delist_url: other.delist.map(|url| reputation::fill_ip(url, blocklist.ip.as_deref())),
                        ..blocklist.clone()
                    };
                    plan_block(&mut steps, delivery, &also);
                }
            }
            (None, None) => plan_other(&mut steps, delivery),
        }
        for step in steps.0.into_iter().filter(|s| !(retrying && s.id.is_resend())) {
            plan.add(step);
        }
    }
    // Equal urgencies keep the order of planning.
    crate::sort_by_rank(plan.0, |step| (urgency(step.id), 0))
}

/// The refusal a reply names that is not a listing of the sender's IP: for a delivery the
/// reputation table recognised, or one refused for its IP, policy or an unknown cause (a
/// mailbox's own reasons are never one).
pub fn refusal(delivery: &Delivery) -> Option<Refusal> {
    // A rate limit's words may name a throttle or a reputation limit too.
    let refused = matches!(
        delivery.reason,
        Reason::Blocked | Reason::BadReputation | Reason::Rejected | Reason::PolicyViolation | Reason::OnHold | Reason::Undefined | Reason::Speeding | Reason::TooManyConn
    );
    if delivery.blocklist.is_none() && !refused {
        return None;
    }
    refusal::of(&delivery.diagnostic.as_deref()?.to_ascii_lowercase())
}

/// The cause finer than the reason, if any: greylisting while the server retries, a refusal the
/// reply names, or a delay whose reason
/// is `expired` (the label the corpora use for a delay): its server still retries, so "it gave
/// up" would contradict the notice. Where the delay's words name a failed or timed-out
/// connection, the labels still say `expired` (sisimai's lhost-v5sendmail-01 and rhost-gsuite-06,
/// both "Connection timed out" while retrying), but the cause says what the words say.
pub fn finer_cause(delivery: &Delivery) -> Option<&'static str> {
    if let Some(refused) = refusal(delivery) {
        return Some(refused.id());
    }
    if delivery.blocklist.is_some() || !still_retrying(delivery) {
        return None;
    }
    if greylisted(delivery) {
        // Not the site's refusal but its request to retry later, which the sending server's
        // own retry answers (RFC 6647 §2): the plan is to wait (see `plan_other`).
        return Some("greylisted");
    }
    (delivery.reason == Reason::Expired).then(|| {
        let connection = delivery.diagnostic.as_deref().is_some_and(crate::classify::names_failed_connection);
        if connection { "connection-delay" } else { "unexplained-delay" }
    })
}

/// The cause's id for grouping: the finer cause's key, else the reason's name.
pub fn cause_id(delivery: &Delivery) -> &'static str {
    finer_cause(delivery).unwrap_or(delivery.reason.as_str())
}

/// A refusal that names a provider but lists nothing: who must act decides the steps, never a
/// lookup or delisting. The step the sender acts on links the provider's page for senders.
fn plan_refusal(plan: &mut Plan, delivery: &Delivery, refusal: Refusal) {
    let blocklist = delivery.blocklist.as_ref();
    let step = |id: AdviceId| Advice { id, url: None, provider: blocklist.map(|b| b.provider.clone()), ip: blocklist.and_then(|b| b.ip.clone()) };
    match refusal {
        Refusal::OpenResolver | Refusal::RecipientBlock => {
            plan.add(step(AdviceId::ContactRecipient));
            plan.add(Advice::new(AdviceId::ResendAfterFix));
        }
        // One plan, not two who-acts stories: change the message (the step also says to ask the
        // recipient to allow it), then send again (blocklists.md, iCloud CS01 / HM08).
        Refusal::MessagePolicy => {
            plan.add(with_sender_page(AdviceId::FixContent, delivery));
            plan.add(Advice::new(AdviceId::ResendAfterFix));
        }
        Refusal::SenderAccount | Refusal::SenderOutbound => {
            plan.add(step(AdviceId::ContactMailAdmin));
            plan.add(Advice::new(AdviceId::ResendAfterFix));
        }
        // Returned rather than retried (Gmail's 5.7.28), the message is sent again once the
        // sending is slower (and, for a reputation limit, cleaner: its step links the receiver's
        // page for senders; a throttle has nothing to ask of the provider); while the server
        // retries, the resend step is dropped.
        Refusal::ReputationLimit | Refusal::Throttle => {
            let reputation = matches!(refusal, Refusal::ReputationLimit);
            plan.add(if reputation { with_sender_page(AdviceId::SlowDown, delivery) } else { Advice::new(AdviceId::SlowDown) });
            plan.add(Advice::new(AdviceId::ResendAfterFix));
        }
    }
}

/// A step the sender acts on, linking the receiver's page for senders (its support or removal
/// route, Gmail's sender guidelines), with the listed IP where there is one.
fn with_sender_page(id: AdviceId, delivery: &Delivery) -> Advice {
    let provider = reputation::receiver_provider(delivery);
    Advice {
        id,
        url: provider.and_then(reputation::sender_page).map(str::to_owned),
        provider: provider.map(str::to_owned),
        ip: delivery.blocklist.as_ref().and_then(|b| b.ip.clone()),
    }
}

/// The steps for one listing: who can end it decides them.
fn plan_block(plan: &mut Plan, delivery: &Delivery, blocklist: &Blocklist) {
    let removal = reputation::provider(&blocklist.provider).map_or(Removal::Unknown, |p| p.removal);
    let list_kind = reputation::list_kind(delivery);
    let step = |id: AdviceId, url: Option<&String>| Advice { id, url: url.cloned(), provider: Some(blocklist.provider.clone()), ip: blocklist.ip.clone() };
    // The recipient's own block, or a list that no longer exists: nothing to look up or delist,
    // so the resend waits for the recipient's side to fix its rule or its server, not for a
    // removal (blocklists.md: ERS "Customized-Block" is set by the recipient's administrator;
    // SORBS shut down in June 2024).
    if list_kind == ListKind::RecipientOwn || removal == Removal::Defunct {
        plan.add(step(AdviceId::ContactRecipient, None));
        plan.add(Advice::new(AdviceId::ResendAfterFix));
        return;
    }
    // A listed domain: look the domain up, never an IP.
    if blocklist.lists_domain() {
        let url = domain_lookup(&blocklist.provider, blocklist.domain.as_deref());
        plan.add(Advice { id: AdviceId::CheckDomainReputation, url, provider: Some(blocklist.provider.clone()), ip: None });
        plan.add(Advice::new(AdviceId::ResendAfterFix));
        return;
    }
    plan.add(step(AdviceId::CheckIpReputation, blocklist.lookup_url.as_ref()));
    // A temporary rate limit for the IP's reputation (Microsoft 4.7.650): sending slower goes
    // with the reputation steps.
    if refusal::rate_limited(&delivery.diagnostic.as_deref().unwrap_or("").to_ascii_lowercase()) {
        plan.add(step(AdviceId::SlowDown, None));
    }
    // The reply says the IP is the provider's network, or the mail left through a provider's or
    // shared host's relay: only they can act.
    let providers_ip = blocklist.relay.is_some() || provider_network(delivery);
    let operator_must_act = operator_must_act(list_kind, removal);
    // A dynamic-address or policy listing says nothing about spam: there is no cause to stop.
    if !matches!(list_kind, ListKind::Dynamic | ListKind::Policy) && !providers_ip {
        plan.add(step(AdviceId::FixRootCause, None));
    }
    let owner_can_delist = !matches!(list_kind, ListKind::Dynamic | ListKind::Network) && !providers_ip;
    match removal {
        Removal::Request if owner_can_delist => plan.add(step(AdviceId::RequestDelisting, blocklist.delist_url.as_ref())),
        Removal::NoProcess => plan.add(step(AdviceId::NoDelisting, None)),
        Removal::Recipient => plan.add(step(AdviceId::ContactRecipient, None)),
        _ => {}
    }
    if matches!(list_kind, ListKind::Dynamic | ListKind::Network | ListKind::Policy) || providers_ip || operator_must_act {
        // Where the provider of the IP must ask for removal, the step shows them the form.
        let form = blocklist.delist_url.as_ref().filter(|_| providers_ip && removal == Removal::Request);
        plan.add(step(AdviceId::ContactIspOrHost, form));
    }
    plan.add(Advice::new(AdviceId::ResendAfterDelisting));
    if matches!(removal, Removal::Request | Removal::Automatic) {
        plan.add(step(AdviceId::MonitorRelisting, None));
    }
}

/// The reply says the listed IP is part of its provider's network, not the sender's own.
pub fn provider_network(delivery: &Delivery) -> bool {
    refusal::provider_network(&delivery.diagnostic.as_deref().unwrap_or("").to_ascii_lowercase())
}

/// A spam listing with no removal request (it expires once the spam stops, or the table does
/// not know it): whoever runs the sending server must stop the cause; for most senders that is
/// their provider or host (blocklists.md: "the listed IP is the provider's").
pub fn operator_must_act(list_kind: ListKind, removal: Removal) -> bool {
    list_kind == ListKind::Spam && matches!(removal, Removal::Automatic | Removal::Unknown)
}

/// The provider's lookup for a domain, where it takes one (Spamhaus's checker takes domains too).
fn domain_lookup(provider: &str, domain: Option<&str>) -> Option<String> {
    Some(reputation::fill_ip(reputation::provider(provider)?.lookup?, domain))
}

/// Steps for a failure that names no list: the contract's table, after a suspicion of a block
/// where the connection was cut.
fn plan_other(plan: &mut Plan, delivery: &Delivery) {
    // A delay or failure with the connection cut and no list named: a reputation block is the
    // usual cause (the seed's second case), so suggest a check, worded as a suspicion.
    if connection_cut(delivery) && !matches!(delivery.reason, Reason::UserUnknown | Reason::HostUnknown | Reason::HasMoved | Reason::NotAccept) {
        plan.add(Advice::new(AdviceId::CheckIpReputation));
    }
    // The reply's authentication words (a documented authentication code) call for the repair
    // whatever reason the wording gave.
    // The receiver's page for senders (Gmail's guidelines) goes with the step the sender acts on;
    // no list is named here, so the receiver is Gmail (which always has its page) or none.
    if delivery.reason == Reason::AuthFailure || delivery.authentication.is_some() {
        let auth = delivery.authentication.as_ref();
        plan.add(Advice { ip: auth.and_then(|a| a.ip.clone()), ..with_sender_page(AdviceId::FixAuthentication, delivery) });
        if delivery.reason != Reason::AuthFailure {
            plan.add(Advice::new(AdviceId::ResendAfterFix));
            return;
        }
    }
    // Greylisting lets the sending server's next retry through (RFC 6647 §2): waiting is the
    // whole plan while the server retries; nobody needs to act.
    if still_retrying(delivery) && greylisted(delivery) {
        return;
    }
    if senders_own_policy(delivery) {
        plan.add(Advice::new(AdviceId::ContactMailAdmin));
        plan.add(Advice::new(AdviceId::ResendAfterFix));
        return;
    }
    for &id in reason_plan(delivery.reason) {
        let acts = matches!(id, AdviceId::FixContent | AdviceId::SlowDown);
        plan.add(if acts { with_sender_page(id, delivery) } else { Advice::new(id) });
    }
}
/// The receiving server cut a connection it had opened to this sender: reset, closed or lost
/// after its greeting or after DATA (the seed's Sendmail "Connection reset by host"; Postfix
/// smtp(8)'s "lost connection with host after DATA"). A refused TCP connect ("Connection
/// refused", ECONNREFUSED) is not here: no server spoke to the sender, so nothing in it points
/// at the sender's IP (a refusal that names the sender or a policy is `blocked` by its words).
fn connection_cut(delivery: &Delivery) -> bool {
    let lower = delivery.diagnostic.as_deref().unwrap_or("").to_ascii_lowercase();
    ["connection reset", "connection closed", "lost connection", "connection was reset"].iter().any(|w| lower.contains(w))
}

/// What a `filtered` refusal's words say of the mailbox, for the wording of its step: the
/// reason stays `filtered` (the corpora's label for a refusal after DATA), but the words may
/// name a missing account or an unknown user.
/// - `no-account`: the receiver says the account does not exist (Yahoo's "554 delivery error:
///   dd This user doesn't have a yahoo.com account", seen in public posts on pastebin and a
///   Mailgun bounce list on gist.github.com): the address is most likely wrong.
/// - `unknown-user`: "Unknown user" / "User unknown" / "Invalid recipient", which Japanese
///   mobile carriers also answer when the recipient's own filter refused the mail
///   (blocklists.md, "Also true"): the address may be wrong or the recipient filters it.
pub fn filtered_mailbox_words(delivery: &Delivery) -> Option<&'static str> {
    static NO_ACCOUNT: crate::pattern::Lazy = crate::pattern::Lazy::new(r"(?i)\b(?:does not|doesn'?t) have an? (?:[a-z0-9.-]+ )?account\b");
    static UNKNOWN_USER: crate::pattern::Lazy = crate::pattern::Lazy::new(r"(?i)\bunknown user\b|\buser unknown\b|\binvalid recipient\b");
    if delivery.reason != Reason::Filtered {
        return None;
    }
    if words_say(delivery, &NO_ACCOUNT) {
        Some("no-account")
    } else {
        words_say(delivery, &UNKNOWN_USER).then_some("unknown-user")
    }
}

/// The mail domains of the Japanese mobile carriers whose refusal by the recipient's own filter
/// reads "Unknown user" / "User unknown" (blocklists.md, "Also true"), with the carrier: a
/// domain counts with its subdomains. Sources, per carrier:
/// - NTT docomo: NTT Communications' support FAQ on returned mail to docomo.ne.jp (support.ntt.com,
///   "Unknown user" followed by the address, with the recipient's 受信拒否設定 as a cause), and a
///   Q&A on doplaza.jp (docomo and SoftBank answer "550 Unknown user" to a refused sender).
/// - KDDI au: ezweb.ne.jp, and au.com since 15 May 2018 beside it (KDDI's announcement as reported
///   by gapsis.jp; both named by kaiyaku.jp's page on au mail); "550 <addr>: User unknown" for
///   mail the recipient's filter refused (chiilabo.com, on au's filters).
/// - SoftBank: softbank.ne.jp for S!メール (MMS), i.softbank.jp for iPhone's mail (Wikipedia
///   "S!メール"; mocabrown.com), and the Vodafone-era `*.vodafone.ne.jp` addresses that S!メール
///   kept serving (Wikipedia's SoftBank 3G fee table as copied on weblio.jp in 2016; torworld.com).
///
/// Left out, for want of a source: Y!mobile's ymobile.ne.jp and yahoo.ne.jp (SoftBank's brand;
/// pages confirm the domains but not how a filter's refusal reads), UQ mobile, Rakuten's
/// rakumail.jp, and the retired WILLCOM / DDI Pocket domains.
static CARRIER_DOMAINS: &[(&str, &str)] = &[
    ("docomo.ne.jp", "docomo"),
    ("ezweb.ne.jp", "au"),
    ("au.com", "au"),
    ("softbank.ne.jp", "softbank"),
    ("i.softbank.jp", "softbank"),
    ("vodafone.ne.jp", "softbank"),
];

/// The carrier of a recipient at one of [`CARRIER_DOMAINS`].
fn mobile_carrier(recipient: &str) -> Option<&'static str> {
    let domain = recipient.rsplit_once('@')?.1.trim_end_matches('.').to_ascii_lowercase();
    CARRIER_DOMAINS
        .iter()
        .find(|(carrier_domain, _)| domain == *carrier_domain || domain.strip_suffix(carrier_domain).is_some_and(|rest| rest.ends_with('.')))
        .map(|&(_, carrier)| carrier)
}

/// A Japanese mobile carrier's "unknown user", which may also mean that the recipient's own
/// filter refused the mail (blocklists.md, "Also true"): the reason is `userunknown` and the
/// recipient is at one of the carriers' mail domains.
pub fn carriers_unknown_user(delivery: &Delivery) -> bool {
    delivery.reason == Reason::UserUnknown && delivery.recipient.as_deref().and_then(mobile_carrier).is_some()
}

fn urgency(id: AdviceId) -> u8 {
    match id {
        AdviceId::DoNotResend => 0,
        AdviceId::ContactRecipient => 1,
        AdviceId::CheckIpReputation => 2,
        AdviceId::FixRootCause => 3,
        AdviceId::RequestDelisting => 4,
        AdviceId::ContactIspOrHost => 5,
        AdviceId::NoDelisting => 6,
        AdviceId::FixAddress => 7,
        AdviceId::CheckDomainReputation => 2,
        AdviceId::ContactMailAdmin => 1,
        AdviceId::FixAuthentication | AdviceId::FixContent | AdviceId::ReduceMessageSize | AdviceId::SlowDown => 3,
        AdviceId::RetryLater => 8,
        AdviceId::ResendAfterDelisting | AdviceId::ResendAfterFix => 9,
        AdviceId::MonitorRelisting => 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;
    use crate::reputation::GENERIC_DNSBL as GENERIC;

    #[test]
    fn the_carriers_are_told_by_their_mail_domains_and_subdomains_only() {
        for (recipient, carrier) in [
            ("hana@docomo.ne.jp", Some("docomo")),
            ("hana@au.com", Some("au")),
            ("hana@EZweb.ne.jp", Some("au")),
            ("hana@i.softbank.jp", Some("softbank")),
            ("hana@t.vodafone.ne.jp", Some("softbank")),
            // No source says how these refuse a filtered sender; a look-alike is no carrier.
            ("hana@ymobile.ne.jp", None),
            ("hana@yahoo.ne.jp", None),
            ("hana@notdocomo.ne.jp", None),
            ("hana@docomo.ne.jp.example", None),
        ] {
            assert_eq!(mobile_carrier(recipient), carrier, "{recipient}");
        }
        let unknown = |recipient: &str, reason| Delivery { recipient: Some(recipient.into()), reason, ..Delivery::default() };
        assert!(carriers_unknown_user(&unknown("hana@x.vodafone.ne.jp", Reason::UserUnknown)));
        assert!(!carriers_unknown_user(&unknown("hana@ymobile.ne.jp", Reason::UserUnknown)));
        assert!(!carriers_unknown_user(&unknown("hana@docomo.ne.jp", Reason::MailboxFull)));
    }

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
                relay: None,
                domain: None,
            }),
            ..Delivery::default()
        }
    }

    fn ids(plan: &[Advice]) -> Vec<AdviceId> {
        plan.iter().map(|a| a.id).collect()
    }

    #[test]
    fn a_missing_reverse_dns_name_is_for_the_owner_of_the_ip() {
        let delivery = Delivery { reason: Reason::RequirePtr, action: Some(crate::report::Action::Delayed), ..Delivery::default() };
        let ids: Vec<AdviceId> = plan(Kind::Delay, &[delivery]).iter().map(|a| a.id).collect();
        assert_eq!(ids, [AdviceId::DoNotResend, AdviceId::ContactIspOrHost]);
    }

    #[test]
    fn a_cut_connection_suggests_a_check_and_a_refused_connect_does_not() {
        let cut = |words: &str| {
            let delivery = Delivery { reason: Reason::NetworkError, action: Some(Action::Delayed), diagnostic: Some(words.into()), ..Delivery::default() };
            ids(&plan(Kind::Delay, &[delivery])).contains(&AdviceId::CheckIpReputation)
        };
        assert!(cut("Deferred: Connection reset by mx.far.example."));
        assert!(cut("lost connection with mx.far.example[192.0.2.7] while sending end of data"));
        assert!(!cut("connect to mx.far.example[192.0.2.7]:25: Connection refused"));
        assert!(!cut("host mx.far.example [192.0.2.7] Connection refused"));
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
            vec![AdviceId::CheckIpReputation, AdviceId::FixRootCause, AdviceId::RequestDelisting, AdviceId::ResendAfterDelisting, AdviceId::MonitorRelisting]
        );
    }

    #[test]
    fn recipients_own_block_and_dead_lists_go_to_the_recipient() {
        let plan = plan(Kind::Bounce, &[blocked(Some(Action::Failed), "550", "trendmicro-ers", Some("Customized-Block"))]);
        assert_eq!(ids(&plan), vec![AdviceId::ContactRecipient, AdviceId::ResendAfterFix]);
        let dead_returned = super::plan(Kind::Bounce, &[blocked(Some(Action::Failed), "554", "sorbs", None)]);
        assert_eq!(ids(&dead_returned), vec![AdviceId::ContactRecipient, AdviceId::ResendAfterFix]);
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

    /// The contract's table "Which steps a reason calls for", written out here from the
    /// contract (not from `REASON_PLANS`), so the two are held to each other.
    const CONTRACT: &[(&[&str], &[&str])] = &[
        (&["userunknown", "hostunknown", "hasmoved", "notaccept"], &["fix-address"]),
        (&["mailboxfull", "suspend", "exceedlimit", "filtered", "mailererror"], &["contact-recipient", "resend-after-fix"]),
        (&["mesgtoobig"], &["reduce-message-size", "resend-after-fix"]),
        (&["rejected", "norelaying", "securityerror", "failedstarttls", "syntaxerror"], &["contact-mail-admin", "resend-after-fix"]),
        (&["authfailure"], &["fix-authentication", "resend-after-fix"]),
        (&["requireptr"], &["contact-isp-or-host", "resend-after-fix"]),
        (&["spamdetected", "virusdetected", "contenterror", "notcompliantrfc"], &["fix-content", "resend-after-fix"]),
        (&["policyviolation"], &["contact-recipient", "resend-after-fix"]),
        (&["blocked", "badreputation"], &["check-ip-reputation", "resend-after-delisting"]),
        // The contract's minimum plus the resend its heading gives every returned message.
        (&["toomanyconn", "speeding"], &["slow-down", "resend-after-fix"]),
        (&["systemerror", "systemfull", "networkerror", "expired"], &["retry-later"]),
        (&["onhold", "undefined"], &["contact-recipient", "resend-after-fix"]),
    ];

    fn names(plan: &[Advice]) -> Vec<&'static str> {
        plan.iter().map(|a| a.id.as_str()).collect()
    }

    #[test]
    fn every_reason_of_the_contract_gets_its_plan_returned_and_retrying() {
        let mut covered = 0;
        for (reasons, steps) in CONTRACT {
            for name in *reasons {
                let reason = Reason::from_name(name).unwrap();
                let returned = Delivery { reason, action: Some(Action::Failed), status: Some("5.0.0".into()), ..Delivery::default() };
                assert_eq!(names(&plan(Kind::Bounce, &[returned])), *steps, "{name} returned");
                let waiting = Delivery { reason, action: Some(Action::Delayed), status: Some("4.0.0".into()), ..Delivery::default() };
                let delayed = names(&plan(Kind::Delay, &[waiting]));
                let kept: Vec<&str> = steps.iter().copied().filter(|id| !["resend-after-fix", "resend-after-delisting", "retry-later"].contains(id)).collect();
                assert_eq!(delayed[0], "do-not-resend", "{name} retrying");
                assert_eq!(&delayed[1..], kept.as_slice(), "{name} retrying");
                covered += 1;
            }
        }
        // Every reason of a bounce or delay is in the table; the rest are not bounces.
        let not_bounces = ["feedback", "vacation", "delivered", "suppressed"];
        assert_eq!(covered + not_bounces.len(), Reason::ALL.len());
    }

    fn plan_of(reply: &str) -> (Vec<&'static str>, Report) {
        let report = crate::diagnose(reply.as_bytes());
        (names(&report.advice), report)
    }

    #[test]
    fn refusals_that_list_nothing_never_get_a_lookup_or_delisting() {
        let listing_steps = ["check-ip-reputation", "request-delisting", "fix-root-cause", "resend-after-delisting"];
        let cases = [
            ("said: 554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; Error: open resolver; https://www.spamhaus.org/returnc/pub/198.51.100.2", "contact-recipient"),
            ("said: 554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/102322", "fix-content"),
            ("said: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.", "contact-mail-admin"),
            ("said: 550 5.7.513 Service unavailable, Client host [192.0.2.7] blocked by example.com using Customer Block list (AS16012607)", "contact-recipient"),
        ];
        for (reply, step) in cases {
            let (ids, _) = plan_of(reply);
            assert!(ids.contains(&step), "{reply}: {ids:?}");
            assert!(ids.iter().all(|id| !listing_steps.contains(id)), "{reply}: {ids:?}");
        }
    }

    #[test]
    fn a_rate_limit_is_slowing_down_while_the_server_retries() {
        let (ids, _) = plan_of("said: 421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp");
        assert_eq!(ids, ["do-not-resend", "slow-down"]);
    }

    #[test]
    fn a_returned_message_refused_for_a_rate_is_sent_again_after_slowing_down() {
        // A hosting panel's own hourly limit (cPanel's "has exceeded the max emails per hour"
        // notice): the message is discarded, nothing queued goes out by itself.
        let raw = "From: Mail Delivery System <Mailer-Daemon@host.example.net>\nSubject: Mail delivery failed: returning message to sender\n\nYour message did not reach some or all of the intended recipients.\n\nDomain sender.example has exceeded the max emails per hour (250/250 (100%)) allowed.  Message discarded.\n\n  ken@far.example\n";
        let report = crate::diagnose(raw.as_bytes());
        assert!(matches!(report.deliveries[0].reason, Reason::TooManyConn | Reason::Speeding), "{:?}", report.deliveries);
        assert_eq!(names(&report.advice), ["slow-down", "resend-after-fix"]);
        // Microsoft's throttle, returned once the server gave up: the resend after slowing down;
        // still retried, only the wait and the slower sending (as before).
        let busy = |action| Delivery {
            action: Some(action),
            reason: Reason::Speeding,
            status: Some("4.7.500".into()),
            diagnostic: Some("451 4.7.500 Server busy. Please try again later from [192.0.2.9]. (S77714)".into()),
            ..Delivery::default()
        };
        assert_eq!(names(&plan(Kind::Bounce, &[busy(Action::Failed)])), ["slow-down", "resend-after-fix"]);
        assert_eq!(names(&plan(Kind::Delay, &[busy(Action::Delayed)])), ["do-not-resend", "slow-down"]);
    }

    #[test]
    fn reputation_deferrals_link_the_providers_page_and_give_no_removal_form() {
        let (ids, report) = plan_of("said: 421 4.7.0 [TSS04] Messages from 192.0.2.9 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1");
        assert_eq!(ids, ["do-not-resend", "slow-down"]);
        assert_eq!(report.deliveries[0].cause.as_deref(), Some("reputation-limit"));
        assert_eq!(report.deliveries[0].blocklist.as_ref().unwrap().delist_url, None);
        assert_eq!(report.advice[1].url.as_deref(), Some("https://senders.yahooinc.com/contact/"));
        // Gmail lists nothing: its sender guidelines, never the link the reply carries.
        let (_, gmail) = plan_of("said: 421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your SPF domain [news.example 10]. For more information, go to https://support.google.com/mail/?p=UnsolicitedRateLimitError - gsmtp");
        assert_eq!(gmail.advice[1].url.as_deref(), Some(reputation::GMAIL_SENDER_GUIDELINES));
    }

    #[test]
    fn a_policy_refusal_is_one_plan_with_the_providers_page() {
        let (ids, report) = plan_of("said: 554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137");
        assert_eq!(ids, ["fix-content", "resend-after-fix"]);
        assert_eq!(report.advice[0].url.as_deref(), Some("https://support.apple.com/en-us/102322"));
        assert_eq!(report.deliveries[0].blocklist.as_ref().unwrap().delist_url, None);
        let (_, tenant) = plan_of("said: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.");
        assert_eq!(tenant.deliveries[0].blocklist.as_ref().unwrap().delist_url, None);
    }

    #[test]
    fn a_providers_network_listing_shows_the_provider_the_removal_form() {
        let (_, report) = plan_of("said: 550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).");
        let step = report.advice.iter().find(|a| a.id == AdviceId::ContactIspOrHost).unwrap();
        assert_eq!(step.url.as_deref(), Some("https://olcsupport.office.com/"));
    }

    #[test]
    fn a_listed_domain_is_looked_up_as_a_domain() {
        let (ids, report) = plan_of("said: 554 5.7.1 Service unavailable; Sender address [taro@bad.example] blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/bad.example");
        assert_eq!(ids, ["check-domain-reputation", "resend-after-fix"]);
        let listing = report.deliveries[0].blocklist.as_ref().unwrap();
        assert_eq!((listing.domain.as_deref(), listing.ip.as_deref()), (Some("bad.example"), None));
        assert_eq!(report.advice[0].url.as_deref(), Some("https://check.spamhaus.org/results/?query=bad.example"));
    }

    #[test]
    fn an_ip_of_the_providers_network_is_for_the_provider() {
        let (ids, _) = plan_of("said: 550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).");
        assert!(ids.contains(&"contact-isp-or-host") && !ids.contains(&"request-delisting"), "{ids:?}");
    }

    #[test]
    fn an_unknown_list_named_with_the_ip_has_no_invented_portal() {
        let (ids, report) = plan_of("said: 550 5.7.1 Your message (sent through 192.0.2.44) was blocked by ROTA DNSBL. If you are not a spammer, open http://www.rota.example/DNSBL");
        let listing = report.deliveries[0].blocklist.as_ref().unwrap();
        assert_eq!((listing.provider.as_str(), listing.list.as_deref()), (GENERIC, Some("ROTA DNSBL")));
        assert!(report.advice.iter().all(|a| a.url.is_none()), "{ids:?}");
        assert!(ids.contains(&"check-ip-reputation"));
    }

    #[test]
    fn who_acts_follows_the_words_of_the_refusal() {
        // The recipient organisation's blocked-senders policy (Mimecast).
        let (ids, _) = plan_of("said: 550 Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550 (in reply to RCPT TO command)");
        assert_eq!(ids, ["contact-recipient", "resend-after-fix"]);
        // The sender's own organisation forbids forwarding out.
        let (ids, _) = plan_of("said: 550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance.");
        assert_eq!(ids, ["contact-mail-admin", "resend-after-fix"]);
        // Microsoft's "Server busy" throttle: send slower, nothing to delist.
        let (ids, report) = plan_of("said: 451 4.7.500 Server busy. Please try again later from [192.0.2.9]. (S77714) (in reply to MAIL FROM command)");
        assert_eq!(ids, ["do-not-resend", "slow-down"]);
        assert_eq!((report.deliveries[0].reason, report.deliveries[0].blocklist.is_none()), (Reason::Speeding, true));
        assert_eq!(report.deliveries[0].cause.as_deref(), Some("throttle"));
        // Gmail's reputation rate limit on a sending domain: a limit, not this message's content;
        // returned (5.7.28) it is sent again once the sending is fixed.
        let gmail = "said: 421-4.7.28 Gmail has detected an unusual rate of mail originating from your\n    421-4.7.28 SPF domain [news.example.org      12]. To protect our users from spam, mail\n    421-4.7.28 sent from your domain has been temporarily rate limited. - gsmtp (in reply to end of DATA command)";
        let (ids, report) = plan_of(gmail);
        assert_eq!((ids, report.deliveries[0].reason), (vec!["do-not-resend", "slow-down"], Reason::BadReputation));
        let (ids, report) = plan_of(&gmail.replace("421", "550").replace("4.7.28", "5.7.28"));
        assert_eq!((ids, report.deliveries[0].reason), (vec!["slow-down", "resend-after-fix"], Reason::BadReputation));
        // Greylisting clears on the server's own retry.
        let (ids, report) = plan_of("said: 450 4.2.0 <mika@corp.example>: Recipient address rejected: Greylisted, see http://greylist.example/help (in reply to RCPT TO command)");
        // Worded as a request to retry, not as a refusal.
        assert_eq!(report.deliveries[0].cause.as_deref(), Some("greylisted"));
        for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Ja] {
            assert_eq!(crate::render::cause(&report.deliveries[0], lang), crate::i18n::text(lang, "cause.greylisted"));
        }
        assert_eq!(ids, ["do-not-resend"]);
    }

    #[test]
    fn a_deferral_the_receiver_calls_permanent_is_not_waited_out() {
        let (ids, _) = plan_of("said: 421 4.7.0 [TS03] All messages from 192.0.2.9 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)");
        assert!(!ids.contains(&"do-not-resend"), "{ids:?}");
    }

    #[test]
    fn a_queue_return_with_deferred_lines_is_a_returned_message() {
        assert_returned("   ----- The following addresses had permanent fatal errors -----\n<mika@corp.example>\n    (reason: 451 4.3.0 Temporary system failure. Please try again later.)\n\n   ----- Transcript of session follows -----\n<mika@corp.example>... Deferred: 451 4.3.0 Temporary system failure. Please try again later.\nMessage could not be delivered for 5 days\nMessage will be deleted from queue\n");
    }

    fn assert_returned(raw: &str) {
        let report = crate::diagnose(raw.as_bytes());
        assert_eq!(report.kind, Kind::Bounce);
        assert!(!names(&report.advice).contains(&"do-not-resend"), "{:?}", report.advice);
    }

    #[test]
    fn a_notice_that_says_the_mail_came_back_is_returned_even_with_a_4xx() {
        let raw = "From: MAILER-DAEMON@mx.example.jp\nSubject: Undelivered Mail Returned to Sender\n\nThis is the mail system at host mx.example.jp.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<hanako@yahoo.example>: host mta7.am0.yahoodns.example[198.51.100.4] said: 421 4.7.0 [TSS04]\n    Messages from 192.0.2.9 temporarily deferred due to unexpected volume or user\n    complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in\n    reply to MAIL FROM command)\n";
        assert_returned(raw);
        // Where no Action tells, the notice decides; a pasted reply alone goes by its code.
        let reply = |notice| Delivery { status: Some("4.7.0".into()), notice, ..Delivery::default() };
        assert!(!still_retrying(&reply(Some(Kind::Bounce))));
        assert!(still_retrying(&reply(Some(Kind::Delay))));
        assert!(still_retrying(&reply(None)));
    }
}
