//! The shape of a diagnosis, as fixed by the report contract: the library returns it, the CLI
//! prints it as JSON Lines and the page receives the same object from WebAssembly.

use serde::{Deserialize, Serialize};

/// One diagnosis of one message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where the message came from (a path, `-`, `box.mbox#3`); the library leaves it empty and
    /// the caller fills it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub kind: Kind,
    pub deliveries: Vec<Delivery>,
    pub advice: Vec<Advice>,
    /// Which decoder read the report (`rfc3464`, `postfix`, `fragment`, ...), null when none did.
    pub decoded_by: Option<String>,
    /// What could not be read cleanly: problems are data, not errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// How many more deliveries the input named beyond the [`MAX_DELIVERIES`] kept (a pasted
    /// mail log of thousands of lines): their count, not thousands of entries.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted_deliveries: usize,
}

/// The most deliveries one report lists; a notice names a handful, a pasted log may name
/// thousands, and a reader wants a bounded answer.
pub const MAX_DELIVERIES: usize = 100;

/// The longest `diagnostic` kept, in bytes. A server's reply is a few lines (RFC 5321 §4.5.3.1.5:
/// 512 octets a line); a paragraph of pasted text taken as the reply can be a megabyte, which
/// then costs every later step and the page's evidence view.
pub const MAX_DIAGNOSTIC: usize = 4096;

/// Cuts `text` to at most [`MAX_DIAGNOSTIC`] bytes, on a character boundary.
pub fn cap_diagnostic(text: &mut String) {
    if text.len() > MAX_DIAGNOSTIC {
        let end = (0..=MAX_DIAGNOSTIC).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        text.truncate(end);
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What kind of message this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Bounce,
    Delay,
    Feedback,
    Autoreply,
    Delivered,
    NotABounce,
}

/// One recipient the report speaks of.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Delivery {
    pub recipient: Option<String>,
    pub action: Option<Action>,
    pub status: Option<String>,
    pub reply_code: Option<String>,
    pub reason: Reason,
    pub hard_bounce: bool,
    pub diagnostic: Option<String>,
    pub remote_mta: Option<String>,
    pub smtp_command: Option<String>,
    /// RFC 3339: when the sending server gives up, if the message tells.
    pub retry_until: Option<String>,
    /// The retry time the notice says is left ("for the next 1 days, 19 hours"), in minutes, when
    /// it gives no date to count it from (a paste without its Date header), so no `retry_until`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_left_minutes: Option<u32>,
    pub blocklist: Option<Blocklist>,
    /// The cause where the reply names one finer than the reason (`open-resolver`,
    /// `message-policy`, `sender-account`, `recipient-block`, `reputation-limit`, `throttle`), or
    /// for a delivery still retried whose reason is `expired` (nothing gave up), `connection-delay`
    /// where its words name a failed or timed-out connection, else `unexplained-delay`: the
    /// verdict, the details and the summaries all say it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// What the bounce says of SPF, DKIM and DMARC, when it speaks of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    /// For feedback reports (ARF): the feedback type (`abuse`, `fraud`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_type: Option<String>,
    /// What decided the reason: the rule and the span of `diagnostic` it matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// The reporting MTA's own words on the failure, beside the remote reply: the comment after
    /// its `Status:` code, a vendor's bounce category. Read by the classifier, not reported.
    #[serde(skip)]
    pub mta_remark: Option<String>,
    /// The notice comes from the receiving system after it had accepted the message (its own
    /// notice, no SMTP refusal): a refusal named there came after the recipient was accepted.
    #[serde(skip)]
    pub after_acceptance: bool,
    /// The reporting MTA says it gave the message up because it was queued too long: its own
    /// `Status: 4.4.7` / `5.4.7` beside `Action: failed` (RFC 3463 X.4.7 "delivery time
    /// expired"), Postfix's `Action: failed` beside a 4.X.X status (its last deferral), or a
    /// sentence of its notice that says so (lib.rs's `GAVE_UP_FOR_TIME`),
    /// whatever the last attempt's reply was. Read by the classifier, not reported.
    #[serde(skip)]
    pub gave_up_for_time: bool,
    /// What the whole notice says it is (a returned message or a delay warning), when it is a
    /// notice and not a pasted reply: it decides "still retrying" where no `Action` does. Kept
    /// in the JSON so a report read back (the page's language switch) plans the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Kind>,
}

/// RFC 3464 `Action` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Failed,
    Delayed,
    Delivered,
    Relayed,
    Expanded,
}

impl Action {
    pub fn parse(text: &str) -> Option<Action> {
        let word = text.trim().split(|c: char| c.is_whitespace() || c == '(').next()?;
        Some(match word.to_ascii_lowercase().as_str() {
            // Postfix's address verification (`sendmail -bv`) reports what a delivery would do:
            // `deliverable` / `undeliverable` in place of `delivered` / `failed`.
            "failed" | "failure" | "undeliverable" => Action::Failed,
            "delayed" => Action::Delayed,
            "delivered" | "deliverable" => Action::Delivered,
            "relayed" => Action::Relayed,
            "expanded" => Action::Expanded,
            _ => return None,
        })
    }
}

/// The span of a delivery's `diagnostic` that decided its reason, in bytes, and the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub rule: String,
    pub start: usize,
    pub end: usize,
}

/// A blocklist or IP-reputation rejection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocklist {
    pub provider: String,
    pub list: Option<String>,
    /// The sender's listed IP, never the receiver's or a previous hop's.
    pub ip: Option<String>,
    pub lookup_url: Option<String>,
    pub delist_url: Option<String>,
    /// A retired portal the bounce points to, which must not be offered as the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_url: Option<String>,
    /// The sending server's name when it is outside the sender's own domain (a provider's or
    /// shared host's relay): then only that provider can act.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay: Option<String>,
    /// The listed domain, for a domain list (Spamhaus DBL, URIBL, SURBL): then `ip` is not what
    /// is listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

impl Blocklist {
    /// A domain list's entry (Spamhaus DBL even where the reply does not name the domain): the
    /// IP is not what is listed.
    pub fn lists_domain(&self) -> bool {
        self.domain.is_some() || self.list.as_deref() == Some("DBL")
    }
}

/// What a bounce says of the sender's authentication: each mechanism's result as the receiver
/// words it (`fail`, `none`, ...), null where it says nothing, and the domain and IP it checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authentication {
    pub spf: Option<String>,
    pub dkim: Option<String>,
    pub dmarc: Option<String>,
    pub domain: Option<String>,
    pub ip: Option<String>,
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advice {
    pub id: AdviceId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The provider the step is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The IP the step is about, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}

impl Advice {
    pub fn new(id: AdviceId) -> Advice {
        Advice { id, url: None, provider: None, ip: None }
    }
}

/// The advice vocabulary of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdviceId {
    CheckIpReputation,
    RequestDelisting,
    FixRootCause,
    DoNotResend,
    ResendAfterDelisting,
    ContactIspOrHost,
    ContactRecipient,
    NoDelisting,
    MonitorRelisting,
    FixAddress,
    RetryLater,
    CheckDomainReputation,
    ResendAfterFix,
    ContactMailAdmin,
    FixAuthentication,
    FixContent,
    ReduceMessageSize,
    SlowDown,
}

impl AdviceId {
    pub fn as_str(self) -> &'static str {
        match self {
            AdviceId::CheckIpReputation => "check-ip-reputation",
            AdviceId::RequestDelisting => "request-delisting",
            AdviceId::FixRootCause => "fix-root-cause",
            AdviceId::DoNotResend => "do-not-resend",
            AdviceId::ResendAfterDelisting => "resend-after-delisting",
            AdviceId::ContactIspOrHost => "contact-isp-or-host",
            AdviceId::ContactRecipient => "contact-recipient",
            AdviceId::NoDelisting => "no-delisting",
            AdviceId::MonitorRelisting => "monitor-relisting",
            AdviceId::FixAddress => "fix-address",
            AdviceId::RetryLater => "retry-later",
            AdviceId::CheckDomainReputation => "check-domain-reputation",
            AdviceId::ResendAfterFix => "resend-after-fix",
            AdviceId::ContactMailAdmin => "contact-mail-admin",
            AdviceId::FixAuthentication => "fix-authentication",
            AdviceId::FixContent => "fix-content",
            AdviceId::ReduceMessageSize => "reduce-message-size",
            AdviceId::SlowDown => "slow-down",
        }
    }

    /// Every id of the contract.
    pub const ALL: &'static [AdviceId] = &[
        AdviceId::CheckIpReputation,
        AdviceId::RequestDelisting,
        AdviceId::FixRootCause,
        AdviceId::DoNotResend,
        AdviceId::ResendAfterDelisting,
        AdviceId::ContactIspOrHost,
        AdviceId::ContactRecipient,
        AdviceId::NoDelisting,
        AdviceId::MonitorRelisting,
        AdviceId::FixAddress,
        AdviceId::RetryLater,
        AdviceId::CheckDomainReputation,
        AdviceId::ResendAfterFix,
        AdviceId::ContactMailAdmin,
        AdviceId::FixAuthentication,
        AdviceId::FixContent,
        AdviceId::ReduceMessageSize,
        AdviceId::SlowDown,
    ];

    /// Steps that send the returned message again: never while the server still retries.
    pub fn is_resend(self) -> bool {
        matches!(self, AdviceId::ResendAfterDelisting | AdviceId::ResendAfterFix | AdviceId::RetryLater)
    }
}

/// Something the reader noticed about the input itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Note {
    /// Nothing was given.
    Empty,
    /// The input looks like a binary file, not a message.
    Binary,
    /// An Outlook .msg file that is cut short or damaged: what could be read of it was read.
    MsgDamaged,
    /// A compound file (the .msg container) that holds no mail message, such as a Word document.
    MsgNotMail,
    /// The input had no message headers: read as pasted text.
    NoHeaders,
    /// The report seems cut short (a MIME part or the delivery status is incomplete).
    Truncated,
    /// The input is larger than the documented maximum; only its beginning was read.
    TooLarge,
}

impl Note {
    /// The contract's name, as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Note::Empty => "empty",
            Note::Binary => "binary",
            Note::MsgDamaged => "msg-damaged",
            Note::MsgNotMail => "msg-not-mail",
            Note::NoHeaders => "no-headers",
            Note::Truncated => "truncated",
            Note::TooLarge => "too-large",
        }
    }
}

macro_rules! reasons {
    ($($(#[$meta:meta])* $variant:ident => $name:literal),* $(,)?) => {
        /// The reason vocabulary of the contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
        pub enum Reason {
            $($(#[$meta])* #[serde(rename = $name)] $variant,)*
        }

        impl Reason {
            pub const ALL: &'static [Reason] = &[$(Reason::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Reason::$variant => $name,)* }
            }

            pub fn from_name(name: &str) -> Option<Reason> {
                match name { $($name => Some(Reason::$variant),)* _ => None }
            }
        }
    };
}

reasons! {
    UserUnknown => "userunknown",
    HostUnknown => "hostunknown",
    HasMoved => "hasmoved",
    NotAccept => "notaccept",
    MailboxFull => "mailboxfull",
    ExceedLimit => "exceedlimit",
    MesgTooBig => "mesgtoobig",
    Suspend => "suspend",
    Filtered => "filtered",
    Rejected => "rejected",
    Blocked => "blocked",
    BadReputation => "badreputation",
    RequirePtr => "requireptr",
    AuthFailure => "authfailure",
    SecurityError => "securityerror",
    FailedStartTls => "failedstarttls",
    PolicyViolation => "policyviolation",
    SpamDetected => "spamdetected",
    VirusDetected => "virusdetected",
    ContentError => "contenterror",
    NotCompliantRfc => "notcompliantrfc",
    NoRelaying => "norelaying",
    TooManyConn => "toomanyconn",
    Speeding => "speeding",
    NetworkError => "networkerror",
    SystemError => "systemerror",
    SystemFull => "systemfull",
    MailerError => "mailererror",
    SyntaxError => "syntaxerror",
    Expired => "expired",
    OnHold => "onhold",
    #[default]
    Undefined => "undefined",
    Feedback => "feedback",
    Vacation => "vacation",
    Delivered => "delivered",
    Suppressed => "suppressed",
}

impl Reason {
    /// Only these mean that resending to the same address can never work (the contract; a domain
    /// that accepts no mail at all is decided by the caller for `notaccept`).
    pub fn is_hard(self) -> bool {
        matches!(self, Reason::UserUnknown | Reason::HostUnknown | Reason::HasMoved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_is_cut_on_a_character_boundary() {
        let mut long = "あ".repeat(MAX_DIAGNOSTIC);
        cap_diagnostic(&mut long);
        assert!(long.len() <= MAX_DIAGNOSTIC && long.len() > MAX_DIAGNOSTIC - 3);
        assert!(long.chars().all(|c| c == 'あ'));
        let mut short = "550 5.1.1 User unknown".to_owned();
        cap_diagnostic(&mut short);
        assert_eq!(short, "550 5.1.1 User unknown");
    }

    #[test]
    fn reason_names_round_trip_through_serde() {
        for &reason in Reason::ALL {
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.as_str()));
            assert_eq!(Reason::from_name(reason.as_str()), Some(reason));
        }
        assert_eq!(Reason::ALL.len(), 36);
    }

    #[test]
    fn kind_and_advice_use_the_contract_spelling() {
        assert_eq!(serde_json::to_string(&Kind::NotABounce).unwrap(), "\"not-a-bounce\"");
        assert_eq!(serde_json::to_string(&AdviceId::CheckIpReputation).unwrap(), "\"check-ip-reputation\"");
        assert_eq!(
            serde_json::to_string(&AdviceId::ContactIspOrHost).unwrap(),
            format!("\"{}\"", AdviceId::ContactIspOrHost.as_str())
        );
        for &id in AdviceId::ALL {
            assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{}\"", id.as_str()));
        }
    }

    #[test]
    fn note_names_match_serde() {
        for note in [Note::Empty, Note::Binary, Note::MsgDamaged, Note::MsgNotMail, Note::NoHeaders, Note::Truncated, Note::TooLarge] {
            assert_eq!(serde_json::to_string(&note).unwrap(), format!("\"{}\"", note.as_str()));
        }
    }

    #[test]
    fn action_parses_dsn_values() {
        assert_eq!(Action::parse(" Failed "), Some(Action::Failed));
        assert_eq!(Action::parse("delayed (will retry)"), Some(Action::Delayed));
        assert_eq!(Action::parse("bogus"), None);
    }
}
