//! The provider table: every blocklist and reputation system the diagnosis knows, as data. The
//! facts (lookup pages, removal routes, how listings end) come from the project's reference on
//! blocklists; the words users read about each provider are in the catalogues under
//! `provider.<id>.*`, never here.
//!
//! Patterns are lowercase and run on ASCII-lowercased text (see `crate::pattern`).

use crate::i18n::Lang;

/// Who runs the system, which decides how much a citation of it weighs: a reply that names a
/// list's URL or zone belongs to that list, even when a mailbox provider's own system sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A blocklist or reputation service that many receivers query.
    List,
    /// A mailbox provider's or gateway's own filter (Gmail, Yahoo, Microsoft, ...).
    Receiver,
}

/// How a listing ends and who can end it: this decides the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// The IP's owner asks on the provider's form (or by the mail the provider names).
    Request,
    /// Listings expire once the spam stops; there is nothing to ask.
    Automatic,
    /// No removal process at all; reputation recovers by itself.
    NoProcess,
    /// Only the recipient's administrator can lift it.
    Recipient,
    /// The list no longer exists; the receiver's configuration is stale.
    Defunct,
    /// The table does not know (an unknown list).
    Unknown,
}

/// What a named list means for the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// A listing for sending spam: fix, ask for removal where possible, resend.
    Spam,
    /// A short-lived listing that expires by itself (Trend Micro QIL).
    Temporary,
    /// The IP looks dynamically assigned: only the ISP can fix it (or the sender relays through
    /// the ISP's server).
    Dynamic,
    /// A policy list of end-user ranges whose owner may also remove a real mail server's IP
    /// (Spamhaus PBL).
    Policy,
    /// The whole network is listed: only the network's owner can act (Spamhaus SBL, UCEPROTECT
    /// levels 2 and 3).
    Network,
    /// The recipient's own block, not a global listing (Trend Micro ERS-Customized-Block).
    RecipientOwn,
    /// The receiver refuses the IP because outside public lists hold it (Comcast's BL000010):
    /// removal is asked of those lists, not of the receiver.
    Outside,
}

/// A list of a provider, as a reply names it.
pub struct ListName {
    pub pattern: &'static str,
    pub name: &'static str,
    pub kind: ListKind,
}

/// One blocklist or reputation provider.
pub struct Provider {
    pub id: &'static str,
    pub source: Source,
    /// URLs, DNS zones and codes of the provider's own: a reply that cites them belongs to it.
    pub cites: &'static str,
    /// The provider's own wording (empty: none beyond `cites`).
    pub words: &'static str,
    /// Lookup page; `{ip}` is replaced by the IP where the provider accepts it in the URL.
    pub lookup: Option<&'static str>,
    pub delist: Option<&'static str>,
    /// Where the provider has its pages in Japanese too: the start of its English pages' links
    /// and what replaces it (same page, Japanese locale).
    pub japanese_pages: Option<(&'static str, &'static str)>,
    pub removal: Removal,
    /// Lists tried in order; the first that the reply names wins.
    pub lists: &'static [ListName],
}

const fn list(pattern: &'static str, name: &'static str, kind: ListKind) -> ListName {
    ListName { pattern, name, kind }
}

/// The id of the fallback for a DNS zone that no row of the table claims.
pub const GENERIC_DNSBL: &str = "generic-dnsbl";

/// The table. Within one weight (cited list, receiver) the mention that comes first in the reply
/// wins, so the order here only decides ties.
pub static PROVIDERS: &[Provider] = &[
    Provider {
        id: "trendmicro-ers",
        source: Source::List,
        cites: r"mail-abuse\.(?:com|org|net)|ers\.trendmicro\.com|servicecentral\.trendmicro\.com|rbl-plus|maps\.vix\.com",
        words: r"trend ?micro|トレンドマイクロ|\bers-(?:qil|dul|rbl|kssl|etl|customized)|\brbl\+|\brbl[- ]plus|email reputation (?:service|database)|network anti-spam service|\bmaps (?:rbl|dul|rss)\b|\bkssl\b|known spam source list|quick ip list",
        lookup: Some("https://servicecentral.trendmicro.com/en-US/ers/ip-lookup/"),
        delist: Some("https://servicecentral.trendmicro.com/en-US/ers/ip-lookup/"),
        japanese_pages: Some(("https://servicecentral.trendmicro.com/en-US/", "https://servicecentral.trendmicro.com/ja-JP/")),
        removal: Removal::Request,
        lists: &[
            list(r"customized[- ]block", "Customized-Block", ListKind::RecipientOwn),
            // The advanced service: "dynamic" in Trend's own wording, "Zombie" in some products.
            list(r"ers-qil|\bqil\b|quick ip list|\bzombie\b|(?:ers|reputation services?)[- ]dynamic", "QIL", ListKind::Temporary),
            list(r"ers-dul|\bdul\b|dynamic user list|dialups\.mail-abuse", "DUL", ListKind::Dynamic),
            list(r"ers-kssl|\bkssl\b|known spam source", "KSSL", ListKind::Spam),
            list(r"ers-etl|\betl\b|emerging threat list", "ETL", ListKind::Spam),
            list(r"\brbl\+|\brbl[- ]plus", "RBL+", ListKind::Spam),
            list(r"ers-rbl\b|blackholes\.mail-abuse|\bmaps rbl(?:$|[^+])", "RBL", ListKind::Spam),
            list(r"relays\.mail-abuse|\bmaps rss\b", "RSS", ListKind::Spam),
        ],
    },
    Provider {
        id: "spamhaus",
        source: Source::List,
        cites: r"spamhaus|abuseat\.org|\bcbl\b",
        words: "",
        lookup: Some("https://check.spamhaus.org/results/?query={ip}"),
        delist: Some("https://check.spamhaus.org/results/?query={ip}"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[
            list(r"\bsbl\b|/sbl/", "SBL", ListKind::Network),
            list(r"\bcbl\b|abuseat\.org", "CBL", ListKind::Spam),
            list(r"\bxbl\b", "XBL", ListKind::Spam),
            list(r"\bpbl\b", "PBL", ListKind::Policy),
            list(r"\bcss\b", "CSS", ListKind::Spam),
            list(r"\bdbl\b", "DBL", ListKind::Spam),
            list(r"\bzen\b", "ZEN", ListKind::Spam),
        ],
    },
    Provider {
        id: "barracuda",
        source: Source::List,
        cites: r"barracudacentral\.org|barracudanetworks\.com|\bbrbl\b",
        words: r"barracuda (?:reputation|block ?list|rbl)",
        // The bounce's own link is plain http; the lookup page is served over https (blocklists.md,
        // Barracuda update); it takes the IP typed in.
        lookup: Some("https://www.barracudacentral.org/lookups/lookup-reputation"),
        delist: Some("https://www.barracudacentral.org/rbl/removal-request"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "spamcop",
        source: Source::List,
        cites: r"spamcop",
        words: "",
        lookup: Some("https://www.spamcop.net/bl.shtml?{ip}"),
        delist: None,
        japanese_pages: None,
        removal: Removal::Automatic,
        lists: &[],
    },
    Provider {
        id: "cisco-talos",
        source: Source::List,
        cites: r"talosintelligence\.com|senderbase",
        // Cisco Secure Email's (IronPort's) default reject text for senders its mail flow
        // policy blocks by their SBRS (Talos) score: "Your access to this mail system has been
        // rejected due to the sending MTA's poor reputation" (the BLOCKED policy's reject banner,
        // Cisco AsyncOS for Email user guide, "Host Access Table"; seen in public pastes from
        // vgas1864.vgregion.se with a Talos link, gw-smtp3.voeazul.com.br and mx1.mail.plasa.com).
        words: r"\btalos\b|\bsbrs\b|cisco .{0,40}reputation|rejected due to the sending mta'?s? poor reputation",
        lookup: Some("https://talosintelligence.com/reputation_center/lookup?search={ip}"),
        // Disputes go through Talos's support page, "Sender IP Reputation Ticket" (blocklists.md,
        // Updates: Cisco Talos).
        delist: Some("https://talosintelligence.com/support"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "proofpoint",
        source: Source::List,
        cites: r"proofpoint\.com|ipcheck\.proofpoint",
        words: r"proofpoint",
        lookup: Some("https://ipcheck.proofpoint.com/?ip={ip}"),
        delist: Some("https://ipcheck.proofpoint.com/?ip={ip}"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "cloudmark",
        source: Source::List,
        cites: r"cloudmark",
        words: r"sender intelligence",
        lookup: Some("http://csi.cloudmark.com/reset-request/?ip={ip}"),
        delist: Some("http://csi.cloudmark.com/reset-request/?ip={ip}"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "sophos",
        source: Source::List,
        cites: r"sophos\.com|\bsophos\b",
        words: "",
        lookup: None,
        delist: None,
        japanese_pages: None,
        removal: Removal::Unknown,
        lists: &[],
    },
    Provider {
        id: "symantec",
        source: Source::List,
        cites: r"ipremoval\.sms\.symantec\.com|symanteccloud|messagelabs|brightmail",
        words: r"\bsymantec\b",
        lookup: None,
        delist: Some("https://ipremoval.sms.symantec.com/"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "uceprotect",
        source: Source::List,
        cites: r"uceprotect",
        words: "",
        lookup: Some("https://www.uceprotect.net/en/rblcheck.php?ipr={ip}"),
        delist: None,
        japanese_pages: None,
        removal: Removal::Automatic,
        lists: &[
            list(r"level ?3|dnsbl-3", "Level 3", ListKind::Network),
            list(r"level ?2|dnsbl-2", "Level 2", ListKind::Network),
            list(r"level ?1|dnsbl-1", "Level 1", ListKind::Spam),
        ],
    },
    Provider {
        id: "abusix",
        source: Source::List,
        cites: r"abusix",
        words: "",
        lookup: Some("https://lookup.abusix.com/search?q={ip}"),
        delist: Some("https://lookup.abusix.com/search?q={ip}"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "sorbs",
        source: Source::List,
        cites: r"sorbs\.net|\bsorbs\b",
        words: "",
        lookup: None,
        delist: None,
        japanese_pages: None,
        removal: Removal::Defunct,
        lists: &[],
    },
    Provider {
        id: "psbl",
        source: Source::List,
        cites: r"psbl\.org|psbl\.surriel\.com|\bpsbl\b",
        words: r"passive spam block list",
        lookup: Some("https://psbl.org/listing?ip={ip}"),
        delist: Some("https://psbl.org/listing?ip={ip}"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "nixspam",
        source: Source::List,
        cites: r"manitu\.net|nix ?spam",
        words: "",
        lookup: Some("https://www.dnsbl.manitu.net/lookup.php?value={ip}"),
        delist: Some("https://www.dnsbl.manitu.net/lookup.php?value={ip}"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "invaluement",
        source: Source::List,
        cites: r"invaluement|\bivm(?:sip|uri)\b",
        words: "",
        lookup: None,
        delist: Some("https://www.invaluement.com/lookup/"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "hostkarma",
        source: Source::List,
        cites: r"junkemailfilter\.com|hostkarma",
        words: "",
        lookup: Some("http://ipadmin.junkemailfilter.com/remove.php?ip={ip}"),
        delist: Some("http://ipadmin.junkemailfilter.com/remove.php?ip={ip}"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "spamrats",
        source: Source::List,
        cites: r"spamrats",
        words: "",
        lookup: Some("https://www.spamrats.com/lookup.php?ip={ip}"),
        delist: Some("https://www.spamrats.com/lookup.php?ip={ip}"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[
            list(r"rats-dyna|dyna\.spamrats", "RATS-Dyna", ListKind::Dynamic),
            list(r"rats-noptr|noptr\.spamrats", "RATS-NoPtr", ListKind::Spam),
            list(r"rats-spam|spam\.spamrats", "RATS-Spam", ListKind::Spam),
        ],
    },
    Provider {
        id: "microsoft-outlook",
        source: Source::Receiver,
        // Its S3xxx block codes (S3140/S3150 in blocklists.md; "AS3140" in public pastes), the
        // troubleshooting page, and the postmaster site its deferrals cite (`4.7.650 ... see
        // https://postmaster.live.com (S775)` and `... https://aka.ms/postmaster (S775)` to
        // hotmail-com.olc.protection.outlook.com: a directadmin forum thread and suped.com's page).
        cites: r"\ba?s3[0-9]{3}\b|mail\.live\.com/mail/troubleshooting|postmaster\.live\.com|aka\.ms/postmaster",
        words: r"part of their network is on our block list|hotmail does not relay dynamically|\b(?:sc|rp|dy|ou)-00[0-9]\b|messages from \[?[0-9a-f.:]+\]? weren't sent",
        lookup: None,
        // The Outlook.com sender support form (blocklists.md, Microsoft update).
        delist: Some("https://olcsupport.office.com/"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "microsoft-365",
        source: Source::Receiver,
        cites: r"sender\.office\.com|delist@messaging\.microsoft\.com",
        words: r"banned sending ip|banned sender\s*\[|\b5\.7\.(?:6[0-4][0-9]|511|708|750)\b|\b4\.7\.[56][0-9]{2}\b|blocked using blocklist [12]|rate limited due to ip reputation|traffic not accepted from this ip",
        lookup: None,
        delist: Some("https://sender.office.com/"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "gmail",
        source: Source::Receiver,
        cites: "",
        // Only with Gmail's own marks: "very low reputation of the sending IP address/domain" is
        // Gmail's documented wording (Google's SMTP error reference), but other receivers write
        // it too (Zoho: "Email rejected due to poor reputation of the sending IP"; Broadcom's
        // list of third-party rejections: "Message rejected due to sender IP reputation"), so
        // alone it names an unknown receiver's verdict (see `named_ip_verdict` in the module).
        words: r"unusual rate of unsolicited mail originating from your ip|(?:gsmtp|gmail|google\.com).{0,400}\breputation\b|\breputation\b.{0,400}(?:gsmtp|gmail|google\.com)",
        lookup: Some("https://postmaster.google.com/"),
        delist: None,
        japanese_pages: None,
        removal: Removal::NoProcess,
        lists: &[],
    },
    Provider {
        id: "yahoo",
        source: Source::Receiver,
        cites: r"postmaster\.yahoo(?:inc)?\.com|senders\.yahooinc\.com",
        // TS/TSS: deferrals and blocks for complaints or volume; GL: reputation greylisting;
        // BL2x: a public list (the cited list wins over Yahoo).
        words: r"\[tss?0[0-9]\]|\[gl0[0-9]\]|\[bl2[0-9]\]",
        lookup: None,
        delist: Some("https://senders.yahooinc.com/contact/"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "apple-icloud",
        source: Source::Receiver,
        cites: r"support\.apple\.com/(?:[a-z]{2}-[a-z]{2}/)?(?:ht204137|102322)",
        words: r"\[cs0[0-9]\]",
        lookup: None,
        delist: Some("https://support.apple.com/en-us/102322"),
        japanese_pages: Some(("https://support.apple.com/en-us/", "https://support.apple.com/ja-jp/")),
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "mimecast",
        source: Source::Receiver,
        cites: r"csi\.mimecast\.org",
        words: r"mimecast.{0,200}(?:reputation|block ?list|black ?list|\brbl\b)|(?:reputation|block ?list|black ?list|\brbl\b).{0,200}mimecast",
        lookup: None,
        delist: None,
        japanese_pages: None,
        removal: Removal::Recipient,
        lists: &[],
    },
    Provider {
        id: "att",
        source: Source::Receiver,
        cites: r"abuse-att\.net|abuse_rbl@",
        words: r">_is_blocked|dnsbl:(?:att)?rbl",
        lookup: None,
        // AT&T's consumer domains are served by Yahoo since June 2025 and the old
        // abuse_rbl@abuse-att.net route is obsolete (blocklists.md, November 2026 updates):
        // removals go through Yahoo's sender support request.
        delist: Some("https://senders.yahooinc.com/contact/"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "comcast",
        source: Source::Receiver,
        cites: r"postmaster\.comcast\.net",
        words: r"\bbl0000[0-9]{2}\b|comcast.{0,100}(?:block|dnsbl|reputation)",
        lookup: None,
        delist: Some("http://postmaster.comcast.net/"),
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
    Provider {
        id: "t-online",
        source: Source::Receiver,
        cites: r"tosa@rx\.t-online\.de|postmaster\.t-online\.de",
        // "554 IP=192.0.2.1 - A problem occurred. (Ask your postmaster ...) (BL)".
        words: r"t-online.{0,200}\((?:bl|rl)\)|\bip=[0-9a-f.:]+ - a problem occurred",
        lookup: None,
        delist: None,
        japanese_pages: None,
        removal: Removal::Request,
        lists: &[],
    },
];

/// The provider with that id (the generic fallback has no row).
pub fn provider(id: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.id == id)
}

/// A link of the table in Japanese where its provider has the page in Japanese (see
/// [`Provider::japanese_pages`]), else as it is.
pub fn localised_url(url: &str, lang: Lang) -> String {
    let page = PROVIDERS.iter().filter_map(|p| p.japanese_pages).find(|(english, _)| url.starts_with(english));
    match page {
        Some((english, ja)) if lang == Lang::Ja => format!("{ja}{}", &url[english.len()..]),
        _ => url.to_owned(),
    }
}

/// Retired portals that bounces still print; they are named in the report, never linked.
pub static RETIRED_PORTALS: &[&str] = &[
    "http://www.mail-abuse.com",
    "https://www.mail-abuse.com",
    "http://mail-abuse.com",
    "http://www.mail-abuse.org",
    "http://mail-abuse.org",
    "https://ers.trendmicro.com",
    "http://ers.trendmicro.com",
    "http://cbl.abuseat.org",
    "https://cbl.abuseat.org",
];
