//! Deciding the reason of one delivery, kept as data: a phrase table (one row of patterns per
//! reason), a table from enhanced status codes to reasons, and an explicit precedence between
//! them. It is built for wordings it has not seen: the server's own words decide when they name
//! a cause, the enhanced status code (RFC 3463 and the providers' published codes) when they do
//! not, and the phase of the session (the SMTP command) only tells neighbours apart.
//!
//! 1. a `2.x.x` status is a delivery; a blocklist, an IP deferral or a provider's documented
//!    code named in the reply decides ([`STRONG_RULES`]), then a wording that means a reason
//!    only beside its code ([`CODE_BOUND_RULES`]); then the reporting MTA's own remark (a
//!    `Status:` comment, a bounce category, its reading of the reply), when it names a reason;
//! 2. the status code's reason is set aside when the words name another cause ([`NAMING`]) that
//!    is not its kin (an addressing code beside address words, a size code beside size words:
//!    there the code is the more precise; see `kin`);
//! 3. the *decisive* reasons ([`FIRST_PASS`]) are tried in order, each by its (kept) status
//!    code or its phrases, with the guards on the phase: refused at MAIL FROM, whatever is
//!    unknown is the sender; an unknown user in a reply to DATA, or in a reply whose command and
//!    code say nothing of the address, is the receiving side's filter (the labelling the
//!    reference corpus follows), while an addressing code, a reply to RCPT or a notice in the
//!    mail system's own words keep it a missing mailbox;
//! 4. then the status code alone, unless it is missing or only a decisive reason that failed
//!    its guard;
//! 5. then the remaining phrases ([`SECOND_PASS`]), the status class (x.6 content, x.7
//!    security), the action (`delayed` means it expired) and the command (refused at HELO means
//!    blocked);
//! 6. then the wordings that say a recipient was refused without saying why ([`VAGUE_RULES`]);
//!    last, any words at all are `onhold`, none `undefined`.
//!
//! A phrase counts only where the server's words are: the decoders hand over the reply, not the
//! notice's help text or the returned message. The table is compiled once, one regex per row,
//! run on one ASCII-lowercased copy of the text (same byte offsets as the original, so evidence
//! spans point into the server's words).

use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::pattern;
use crate::report::{Action, Evidence, Reason};

/// One row of the phrase table: the wordings that mean a reason.
pub struct Rule {
    pub reason: Reason,
    pub pattern: &'static str,
}

/// Greylisting's wording, for the phrase table and for [`names_greylisting`]: one source.
/// RFC 6647 §2; Postgrey's "Greylisted, see http://postgrey.schweikert.ch/help/..."; Exim's and
/// Sendmail milters' "greylisted".
macro_rules! greylisting_words {
    () => {
        r"gr[ae]y-?list(?:ed|ing)?\b"
    };
}

macro_rules! rules {
    ($($reason:ident $pattern:expr;)*) => {
        &[$(Rule { reason: Reason::$reason, pattern: $pattern },)*]
    };
}

/// The rows that decide before everything else: a provider's documented code, a blocklist or an
/// IP deferral named in the reply (a blocklist reply often also says "spam" or "user"). They
/// read the links' paths too (a blocklist's lookup page). They count as phrases of their reason
/// as well, ahead of [`RULES`].
pub static STRONG_RULES: &[Rule] = rules! {
    // Orange and La Poste quote their documented rejection codes (`OFR_506`, `LPN007_416`).
    UserUnknown r"\b(?:ofr|lpn)[0-9]*_416\b";
    Suspend r"\b(?:ofr|lpn)[0-9]*_426\b";
    SystemError r"\b(?:ofr|lpn)[0-9]*_505\b";
    SpamDetected r"\b(?:ofr|lpn)[0-9]*_506\b";
    PolicyViolation r"\b(?:ofr|lpn)[0-9]*_6[0-9][0-9]\b";
    Blocked r"\b(?:ofr|lpn)[0-9]*_1[0-9][0-9]\b";
    // Exchange's resolver code, and Exchange Online's directory-based edge block
    // (`5.4.1 ... Access denied. AS(201806281)`): the address does not exist, whatever the command.
    UserUnknown r"resolver\.adr\.recipient ?notfound|\bas\(201806281\)";
    // Wordings that name a cause beside a blocklist guess.
    HostUnknown r"account or domain may not exist";
    Rejected r"address that has been blacklisted";
    // Yahoo's `[TSS04] Messages from <ip> temporarily deferred due to unexpected volume or user
    // complaints` (Yahoo's postmaster error-code page, smtpfieldmanual.com's Yahoo 421 page; seen
    // in the reputation corpus): the sending IP's reputation, whatever command it answered.
    BadReputation r"messages from \[?[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+\]? (?:will be )?(?:temporarily |permanently )?deferred";
    // Gmail's 4.7.28 / 5.7.28 "has detected an unusual rate of (unsolicited) mail originating
    // from your IP address / SPF domain / DKIM domain ... has been temporarily rate limited"
    // (Google's Gmail SMTP error reference, answer 3726730; its help link
    // ?p=UnsolicitedRateLimitError): a rate limit for the sending IP's or domain's reputation,
    // the contract's `badreputation` ("refused or rate-limited for the poor reputation of the
    // sending IP or domain"), not `speeding` (speed alone) nor `spamdetected` (this message's
    // content), though its text says "to protect our users from spam".
    BadReputation r"unusual rate of (?:unsolicited )?mail originating from your";
    SpamDetected r"blacklisted (?:url|link)|\buribl\b|\bsurbl\b";
    // The recipient's own block list is their refusal, not a blocklist of the sending IP:
    // Coremail's "User in blacklist" (its list of bounce wordings), "in the recipient's block list".
    Filtered r"user in (?:the )?(?:black|block) ?list|in (?:the )?(?:recipient|user)'?s? (?:black|block) ?list";
    // Mimecast's "550 Envelope blocked - User Entry": the sender is on the recipient's own
    // blocked-senders list (Mimecast's "Mimecast SMTP Error Codes" page, the DOC-1369 its replies
    // link; smtp.codes' Mimecast entries), whatever command it answered. Mimecast writes a hyphen
    // or an en dash.
    Filtered r"envelope blocked (?:-|\x{2013}) user entry";
    // Listed on a blocklist, or refused for the sending IP's record.
    Blocked concat!(
        r"blocked using |\b(?:dnsbl|rbl|blacklist(?:ed)?|blocklist(?:ed)?|block ?list(?:ed)?|black ?list(?:ed)?)\b|listed (?:on|in|at|by) (?:the )?[a-z0-9.-]+(?:bl|rbl|dnsbl)\b|",
        r"trend ?micro|mail-abuse\.(?:com|org)|\bers-(?:qil|dul|rbl|customized)|email reputation (?:service|database)|spamhaus|spamcop|\bsorbs\b|uceprotect|abuseat\.org|",
        r"nixspam|ix\.dnsbl|hostkarma|junkemailfilter|ipcheck\.proofpoint|csi\.cloudmark|aup#[a-z]+bl\b|banned sending ip|client host blocked|blocked - see|senderbase|talosintelligence|",
        r"psbl\.|spamrats|invaluement|barracudacentral|\bbrbl\b|bl\.spameatingmonkey|abusix|s3140|s3150|block list s"
    );
};

/// The phrase table: per reason, the wordings mail systems use for it (lowercase).
pub static RULES: &[Rule] = rules! {
    MailboxFull concat!(
        r"mailbox (?:is )?full|full mailbox|mail ?box (?:has )?exceeded|mailbox (?:over|size) ?(?:quota|limit)|over ?quota|quota (?:exceeded|violation|usage exceeded)|",
        r"exceeded (?:its |the |their )?(?:storage|quota|mailbox quota|disk space)|exceeding (?:its |their )?(?:mailbox )?quota|(?:disk|disc|diskspace|mail) quota|",
        r"insufficient storage|not (?:enough|sufficient) (?:storage|space)|does not have enough space|no space left on device|",
        r"mailfolder is full|mailbox would exceed|user (?:is )?over|user has exceeded|user has too many messages|too much mail data|",
        // Yandex's "Account is full" (its bounce help page), CommuniGate's "account is full (quota
        // exceeded)" (field/communigate-local-quota, a public paste); "Quota exceed the hard limit"
        // and "quota exceeded" (Chinese providers' bounce lists).
        r"account is full|quota exceed(?:ed|s)?\b|",
        r"space has been used up|mail file size exceeds|reached (?:disk )?quota|account is (?:temporarily )?over quota|",
        // Web.de's "User has exhausted allowed storage space" (sitepackage.de's table of German
        // providers' replies).
        r"exhausted (?:the |its |their )?allowed storage|",
        r"mailbox (?:is )?over ?quota|maildir over quota|exceeds? (?:the )?(?:mailbox |storage )?quota|mailbox has reached|mailbox size exceeded|their mailbox is full|mailbox .{0,20}exceeded the local limit|mailbox exceeds"
    );
    MesgTooBig concat!(
        r"message (?:is )?too (?:big|large)|message (?:file )?too big|message size exceeds|(?:max|maximum) message size|exceeds? (?:the )?(?:maximum|max|fixed) (?:message )?size|",
        // "exceeded mailsize limit" (a Chinese host's list of bounce wordings, emailhost.com.cn).
        r"exceeded mail ?size limit|",
        r"message length exceeds|size limit exceeded|exceeded maximum inbound message size|line limit exceeded|message size (?:is )?(?:over|larger|greater)|",
        r"size of (?:the )?message exceeds|message exceeds (?:the )?(?:maximum|max|local|size)|",
        // "message size N exceeds size limit M of server" (issue 12's CommuniGate examples); RFC
        // 1870 §6.1's "message size exceeds fixed maximum message size".
        r"message size (?:of )?[0-9]+ ?(?:bytes )?exceeds|exceeds (?:the )?size limit"
    );
    ExceedLimit r"message header size exceeds limit|exceeds? (?:the )?recipient'?s? (?:size )?limit|message too large for (?:this|the) recipient";
    Suspend concat!(
        r"account (?:is |has been )?(?:disabled|suspended|deactivated|frozen|locked|inactive|expired)|temporar(?:y|ily) locked|(?:has|have) been (?:disabled|suspended)|account that you tried to reach is disabled|mailbox (?:is )?(?:currently )?(?:disabled|suspended|frozen|inactive)|",
        r"(?:user|recipient) (?:is )?(?:suspended|inactive|disabled)|inactive (?:user|account|mailbox)|temporarily inactive|is inactive|suspend the service|this account has been|",
        r"user or domain is disabled|account (?:has been )?(?:closed|discontinued)|mailbox unavailable or access denied|",
        r"recipient (?:suspend|rejected: temporarily inactive)|this mailbox is disabled|account disabled|no longer (?:active|in use|valid)|is not active|",
        // "mailbox has been deactivated / disabled / discontinued" (CleverReach's list of common
        // bounces), "is a deactivated mailbox" (issue 12's CommuniGate examples).
        r"(?:has been|is a|is) deactivated|deactivated (?:mailbox|account|user)"
    );
    HasMoved r" has been replaced by |mailbox has moved|(?:address|user) has moved|no longer (?:at|with) this";
    NoRelaying concat!(
        r"relay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed)|prohibited|disallowed)|not (?:permitted|allowed|authorized) to relay|unable to relay|cannot relay|",
        // qmail-smtpd's "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)": it
        // refuses a recipient domain it neither hosts nor relays for (qmail-ldap's rcpthosts page,
        // "The qmail newbie's guide to relaying"), so the domain exists but is not this server's.
        r"domain (?:isn'?t|is not) in my list of allowed rcpthosts|",
        // Coremail's "Requested action not taken: Local user only" (its list of bounce wordings).
        r"local user only|we do not relay|no relaying|not an open relay|insecure mail relay|as a relay|relaying mail to|not a gateway|not local host|we don'?t handle mail for|",
        r"email address is not verified|mail server requires authentication when attempting to send to a non-local|relaying to .{1,80} denied|relay not permitted|relaying denied|not configured to relay|",
        // Chinese 拒绝中继 "relay refused", a Chinese server's gloss of its "553 host denies relay"
        // (blog.sina.com.cn's table of its replies).
        r"拒绝中继"
    );
    AuthFailure concat!(
        r"\bspf\b.{0,40}(?:fail|check|violation|validation|error|not allowed|softfail|hardfail)|bad spf|spf_fail|\bdkim\b.{0,40}(?:fail|invalid|not pass|does not)|does not have authentication information|fails? to pass authentication|",
        r"no (?:valid|passing) dkim|\bdmarc\b|sender policy framework|//spf\.pobox\.com|is not (?:authorized|allowed) (?:by domain|to send mail\. \(spf)|",
        r"unauthenticated (?:email|mail)|5\.7\.26|5\.7\.2[0-4]\b|authentication checks? (?:failed|did not pass)|failed (?:spf|dkim|dmarc)|",
        // Yahoo's 5.7.9 "blocked because the sender is unauthenticated. Yahoo requires all senders
        // to authenticate with either SPF or DKIM" (Yahoo Sender Hub's SMTP error codes; AOL's MX
        // are Yahoo's and answer the same).
        r"sender is unauthenticated|authenticate with (?:either )?(?:spf|dkim)"
    );
    UserUnknown concat!(
        r"user unknown|unknown user|no such (?:user|mailbox|recipient|address|account|person|local user)|(?:mailbox|recipient|address|user|account|email address|e-mail address)(?: address)? (?:does not|doesn'?t|did not|not) exists?|",
        r"(?:recipient|address|mailbox|user|addressee|destination) (?:is )?(?:unknown|invalid|not found)|invalid (?:recipient|mailbox|address|user|account)|",
        // The same words in the plural, as a notice's list heading: GroupWise's "The following
        // recipients were unknown:" (try6 case 023; Novell's GroupWise troubleshooting guide,
        // "Message Has Undeliverable Status": the addressed user does not exist).
        r"recipients (?:were|are) unknown|",
        r"unknown (?:recipient|local[- ]?part|address|mailbox|or illegal alias)|not a (?:valid|known) (?:user|mailbox|recipient)|mailbox (?:is )?unavailable|",
        r"mailbox unavaiable|mailbox not (?:found|present)|no mailbox (?:here|found|by that name)|addressee unknown|bad destination mailbox|bad[- ]?(?:address|mailbox)|",
        r"recipient address rejected\.?$|recipient (?:address rejected: (?:unknown|invalid|user|nonexistent|non-existent)|not (?:exist|found|ok|local|accepted)|is not (?:local|accepted)|refuses to accept|rejected: (?:unknown|invalid))|",
        r"user (?:does not exist|not (?:found|known|exist|active)|doesn'?t have a .{1,40} account|missing home directory)|there is no one at this address|",
        r"no account by that name|sorry, (?:user unknown|badrcptto|no mailbox)|badrcptto|validrcptto|envelope recipient (?:has been deleted|is in my badrcptto)|",
        r"the email account that you tried to reach does not exist|resolver\.adr\.recipientnotfound|recipient ?not ?found|not listed in (?:domino|public name & address book)|",
        r"is not a known user|check if (?:the )?address is correct|address is possibly incorrect|address (?:couldn'?t|could not|cannot|can'?t) be found|is not an active address|email address (?:is wrong|could not be found)|this address no longer accepts mail|",
        r"does not exist here|mailbox (?:does not|doesn'?t) exist|",
        r"no mail ?box|no valid recipients|invalid or unknown virtual user|not our customer|this user doesn'?t have|has no mailbox|",
        // "Recipient address rejected: Nonexistent user" (public/bounce_email inbox.lv), Netonboard's
        // "Error 550 non-existent email address" page; "Unknown E-Mail Address" (public/mail
        // report_530) beside "550 Address unknown" (rgnmed's bounce table); "recipient is not
        // exist", "user not exist", "unavailable mail user" (dbmailserver's list of Chinese
        // providers' replies); Rackspace-style `BAD_RECIPIENT` is the existing `bad-mailbox` family.
        // Interia's "550 5.1.1 Account not found" (its help page); Coremail's "local server don't
        // exists that user", "recipient does not have an account", "not user of this server", and a
        // Chinese list's "User x is not found in Server".
        r"account not found|(?:don'?t|doesn'?t|does not) exists? that user|does not have an account|not (?:a )?user of this server|not found in (?:the )?server|",
        r"(?:nonexistent|non-existent) (?:user|mailbox|address|recipient|account|e-?mail address)|unknown e-?mail address|is not exist|unavailable mail user|bad_recipient"
    );
    Filtered concat!(
        r"only accepting mail from specific|refused due to recipient preferences|user refuses to receive|refuse to receive mail|user reject|",
        r"due to extended inactivity new mail is not currently being accepted|is not accepting any mail|has restricted sms e-mail|this account is protected by|",
        r"you have been blocked by the recipient|blocked by (?:the )?recipient|rejected by (?:the )?recipient|mail filter|filtered|content filter|",
        r"recipient (?:has )?(?:blocked|denied) |sender (?:is )?blocked by recipient|",
        // Interia's "550 5.7.1 Recipient doesn't want your mail" (its help page on returned mail).
        r"recipient (?:doesn'?t|does not) want your (?:mail|message)|",
        // Barracuda's per-recipient result after the message was sent, "550 permanent failure for
        // one or more recipients (rcpt:blocked)": its gateway's policy refused the message for
        // that recipient (smtp.codes' Barracuda entry "550 Blocked"; suped.com's two pages on
        // Barracuda bounces read the "blocked" result as the recipient side's policy, not a
        // public blocklist).
        r"for one or more recipients \([^)]*:blocked\)"
    );
    RequirePtr concat!(
        r"reverse (?:dns|lookup|hostname|address)|\bptr\b|\brdns\b|(?:cannot|can'?t|could not|unable to|fail(?:ed)? to) (?:find|resolve|look ?up|lookup) your (?:host ?name|ip)|",
        r"ip name lookup failed|does not resolve to|not resolve to|unresolvable relay host|no dns (?:ptr|entry)|hostname (?:does not|doesn'?t) match|",
        r"client host rejected: cannot find|mismatch(?:es)? client ip|forward dns entry does not point|generic dns|dynamic ip|no reverse|unverif[iy]able sending ip"
    );
    // RFC 5322 §3.6 lists the header fields a message must carry; "Messages without To: fields
    // are not accepted" (public/bounce_email tt_bounce_03 and tt_bounce_04, two sends).
    NotCompliantRfc r"without (?:a |an )?(?:to|from|date|message-id):? (?:header )?fields? (?:are|is) not accepted|not rfc ?5322 compliant|rfcmessagenoncompliant|rfc ?5322|duplicate header|multiple (?:addresses in )?(?:from|to|subject|date|message-id)[: ]|header (?:contains|has) (?:multiple|duplicate)|not (?:rfc|standards?) compliant";
    BadReputation r"reputation|unusual rate of unsolicited mail|low reputation|ip/domain reputation|unexpected volume or user complaints|sender score|senderscore";
    ContentError concat!(
        r"header size exceeds|improper use of 8-bit data|message header size, or recipient list|mime complexity|invalid mime|",
        r"improperly-formatted binary|unnecessary base64|too many received: headers|malformed (?:mime|header|message)"
    );
    Rejected concat!(
        r"sender (?:address )?(?:rejected|refused|denied|not pre-?approved|verify failed|was rejected|is in my badmailfrom|is spammer|domain (?:is empty|must exist|not found))|",
        r"(?:invalid|bogus|unroutable|unverified|bad|unknown) (?:sender|mail from|envelope sender)|administrative prohibition|batv|all recipient addresses rejected|access denied|not a registered gateway user|can'?t determine purported responsible address|",
        // Coremail's "Requested mail action not taken: Fake sender" (its list of bounce wordings).
        r"fake sender|empty envelope senders not allowed|null sender is not allowed|no third-party dsns|domain of sender address|fully qualified email address required|",
        r"mail from not owned by user|'send mail as'|\?p=customfromdenied|returned mail not accepted here|rule imposed mailbox access|sender email address rejected|this server does not accept mail from|",
        r"unsigned dsn|you are not allowed to post|your access to submit messages|your email address has been blacklisted|emetteur invalide|",
        r"access denied \(in reply to mail from|delivery not authorized|backscatter protection|sender not (?:allowed|authorized|accepted)|from: domain is invalid|",
        r"address (?:is )?(?:on|in) (?:my|our) (?:black ?list|block ?list)|mailfrom domain|reject(?:ed)? (?:your )?sender|sender .{0,40}(?:blacklisted|not allowed)"
    );
    HostUnknown concat!(
        r"host (?:or domain name )?not found|host [a-z0-9.-]+ not found|host unknown|unknown host|domain (?:not found|does not exist|is not reachable|must exist|name not found)|",
        r"name or service not known|no such domain|unknown domain|recipient domain must exist|account or domain may not exist|",
        r"mail domain mentioned in email address is unknown|unrouteable (?:mail )?domain|domain (?:name )?(?:is )?(?:invalid|unknown)|nxdomain|host unreachable|",
        r"unroutable|unrouteable address|(?:^|[\s<(])[a-z0-9-]+(?:\.[a-z0-9-]+)+ does not exist|",
        // Gmail's "Address not found ... because the domain example.org couldn't be found" (its
        // help page on "Address not found" notices, answer 7720's neighbours; seen beside NXDOMAIN
        // in the Sisimai corpus' Gmail notices).
        r"domain [a-z0-9.-]+ (?:couldn'?t|could not|can'?t|cannot) be found|",
        // Exim's dnslookup router when every MX target has no address record: the domain has no
        // mail host (Exim FAQ Q0302 "Why does Exim say all relevant MX records point to
        // non-existent hosts"; Exim spec, "The dnslookup router").
        r"all relevant mx records point to non-existent hosts"
    );
    SpamDetected concat!(
        r"(?:^|[^a-z-])spam|junk mail|message content rejected|\bube\b|unsolicited|bulk ?mail|message (?:looks|appears) (?:like|to be)|probable spam|content (?:filter rejection|denied)|",
        r"recurrent pattern detection|uribl|surbl|spam[- ]?like|blacklisted url|classified as .{0,20}spam|identified as .{0,20}spam|",
        // Chinese "identified as junk mail" (识别为垃圾邮件: QQ Mail's help on mail not received;
        // 垃圾邮件退信 "spam bounce" with "Content reject/Spam denied" in emailhost.com.cn's list).
        // "反垃圾邮件引擎" the anti-spam engine, a Chinese server's gloss of its "552 message rejected
        // by anti-spam engine" (blog.sina.com.cn's table of its replies).
        r"(?:识别|判定|认定)为垃圾邮件|垃圾邮件退信|反垃圾(?:邮件)?引擎|",
        // NetEase (163.com, 126.com) answers `554 DT:SPM` for mail its filter judged spam (its
        // help page listing returned-mail codes: "DT:SPM ... 被系统识别为垃圾邮件").
        r"\bdt:spm\b"
    );
    Speeding r"too many recipients this hour|please try again slower|receiving mail at a rate|rate limited|sending rate|too many (?:messages|mails|emails)|throttl|too fast|slow down|exceeded (?:the )?(?:hourly|daily) (?:limit|quota)";
    TooManyConn concat!(
        r"too many (?:connections|concurrent|simultaneous|sessions|smtp sessions|errors from your ip)|connection (?:rate )?limit|maximum connection|per-domain connection limit|",
        r"max emails per hour|frequency limited|trop de connexions|numerous attempts to deliver|concurrent connections|too many recipients"
    );
    Blocked concat!(
        r"blocked using |connection reset by peer|listed (?:on|in|at|by) (?:the )?[a-z0-9.-]+(?:bl|rbl|dnsbl)\b|\b(?:dnsbl|rbl|blacklist(?:ed)?|blocklist(?:ed)?|block ?list|black ?list)\b|",
        r"trend ?micro|mail-abuse\.(?:com|org)|ers-(?:qil|dul|rbl|customized)|email reputation (?:service|database)|spamhaus|spamcop|barracuda|",
        r"(?:client|sending|your|the|sender) (?:host|ip|server)(?: address)? .{0,60}(?:blocked|refused|rejected|banned|denied|not allowed)|banned sending ip|",
        r"has been blocked|is blocked|ip address .{0,40}(?:blocked|block list)|please use the smtp server of your isp|",
        r"refused to talk to me|not currently accepting mail from your ip|dynamic/zombied|hosts with dynamic ip|client host rejected|helo command rejected|",
        r"refused - see|you are not allowed to connect|not authorized to send (?:e-?mail|mail) directly|your remote ?host|go away|extreme bad ip|server access forbidden|invalid ip for sending|no access from mail server|",
        r"sender ip address rejected|your network is|rejecting open proxy|looks suspiciously like spammer|may not be mail exchanger|not accepting connections|is not allowed to send mail from|",
        r"\b(?:ip|host) .{0,40} (?:is )?(?:listed|banned)|ip (?:is )?(?:blocked|banned|rejected|blacklisted)|your ip|from your ip|mail from ip .{0,40}(?:rejected|refused)|",
        r"connections (?:will not be|not) accepted from|cxbl|cxdnsbl|ofr_?\d|bl21|bl23|",
        // "Connection refused" alone is the operating system's text for a refused TCP connect
        // (ECONNREFUSED: Exim's "host NAME [IP] Connection refused", Postfix smtp(8)'s "connect
        // to host[ip]:25: Connection refused", Sendmail's "Connection refused by host"); the IP
        // there is the receiver's. It is a refusal of the sender only where the words go on to
        // name the sender or a policy (field/cloudmark-csi-godaddy's "IB103. Connection refused.
        // <ip> has a poor reputation"; GoDaddy's help page on bounces lists its IB codes as
        // refusals of the sending IP). A reply's security code beside it: `CODE_BOUND_RULES`.
        r"connection refused\b[^\n]{0,60}?(?:\byour (?:ip|host|server|network|domain)|\bsending (?:ip|host|server)|\bsender\b|reputation|\bpolic(?:y|ies)\b|block ?list|black ?list|\blisted\b)|",
        r"ブラックリスト|ブロックリスト|送信元.{0,45}(?:拒否|ブロック)"
    );
    VirusDetected concat!(
        r"virus|mcspamsignature|malware|infected|potentially executable attachment|phishing|malicious|",
        // A banned attachment type (the contract's fix-content case): Google Workspace's attachment
        // rules ("attachments of type .exe are not allowed"; Gmail Help "File types blocked in
        // Gmail"), Exchange's attachment filtering ("file type is blocked").
        r"attachments? of (?:this |that )?type|(?:file|attachment) types? .{0,30}(?:not allowed|blocked)|blocked (?:file|attachment) type|",
        // Gmail's "552 5.7.0 This message was blocked because its content presents a potential
        // security issue. Please visit https://support.google.com/mail/?p=BlockedMessage to review
        // our message content and attachment content guidelines" (Google's Gmail SMTP error
        // reference, answer 3726730; the same reply quoted by Exim, Postfix and qmail notices on
        // pastebin.com/8W7yh7E3, /WZwVhW1L, /RvQDuJUJ): the message's content or attachment is
        // refused as harmful, like a banned attachment above, so the sender fixes the content;
        // "security" here is no setting of the sender's mail system.
        r"content presents a potential security (?:issue|risk)"
    );
    PolicyViolation concat!(
        // "policies" too: Mimecast's "554 Email rejected due to security policies" (its "Mimecast
        // SMTP Error Codes" page: a message refused by one of the recipient organisation's
        // policies), beside Postfix's "rejected for policy reasons".
        r"polic(?:y|ies)|header error|prohibited|illegal attachment|not accepting mail with|members-only list|closed mailing list|organizational settings|message given low priority|",
        r"messages with multiple addresses|protocol violation|host network not allowed|not subscribed to this group|mass mailer|without solving a captcha|not authorized to post|",
        // A group that takes posts only from whom its owner allows: Google Groups' "You do not have
        // permission to post to this group" (quoted in blueimp/jQuery-File-Upload issue #1700; try6
        // case 104 has the bounce), Exchange Online's "you don't have permission to send to the
        // group" (Microsoft's "Fix email delivery issues for error code 550 5.7.1 in Exchange
        // Online", quoted in MicrosoftDocs/OfficeDocs-Exchange issue #1544) and "you do not have
        // permissions to send to this distribution list" (a university's FAQ,
        // faq.icto.um.edu.mo). The group's owner decides, as for the members-only lists above.
        r"(?:don'?t|do not) have permissions? to (?:post|send) to (?:this|the) (?:group|distribution list|list)|",
        // Greylisting: the receiving site's policy refuses a first attempt for a while, and the
        // sending server's retry gets through (see `greylisting_words`).
        greylisting_words!()
    );
    NetworkError concat!(
        r"could not connect and send|dns records for the destination computer could not be found|hop count exceeded|host is unreachable|host name lookup failure|",
        // Gmail's own notice "Connection was dropped by remote host" (public/bounce_email tt_bounce_19
        // and tt_bounce_20, two different sends).
        r"connection was (?:reset|closed|dropped)|dropped by (?:the )?remote host|",
        r"host not found, try again|mail forwarding loop|malformed (?:or unexpected )?name server reply|forwarding loop count|message looping|routing loop|",
        r"name server error|no route to host|too many hops|unable to resolve route|network is unreachable|lost connection|connection (?:reset|closed|dropped)|",
        r"network error|host not found, try again|dns (?:error|failure|lookup failed|problem|resolution (?:failed|failure|error))|temporary (?:dns|lookup) failure|servfail|domain lookup failed|mail loop"
    );
    SystemFull r"insufficient disk space|mail system full|system (?:is )?full|insufficient system storage|exceeded storage allocation|disk full|out of disk";
    SystemError concat!(
        r"internal (?:server )?error|system error|temporar(?:y|ily) (?:system )?(?:failure|error|unavailable|problem)|service (?:is )?(?:temporarily |currently )?(?:unavailable|not available)|local error|",
        r"aliasing/forwarding loop|can'?t create user output file|could not load drd|interrupted system call|error while being processed|would create a mail loop|",
        r"local configuration error|loop was found in the mail exchanger|loops back to myself|configuration error|queue file write error|no mdb|misconfigured|",
        r"system config|timeout waiting for input|transaction failed|server error"
    );
    // Postfix before null-MX support called a null MX (`MX 0 .`) a malformed answer.
    NotAccept r"type=mx: malformed or unexpected name server reply|no mx found|nullmx|null mx|(?:doesn'?t|does not) receive (?:e-?mail|mail)|does not accept (?:any )?mail|mail receiving disabled|no mx record found|no route for current request|not accepting (?:any )?mail|accepts no mail";
    // Some MTAs write their give-up into the failed address's own error text, after the last
    // reply, so it is read here with the words, where a cause the reply names comes first: Exim's
    // "retry timeout exceeded" (sisimai's lhost-exim-06; an Exim notice on pastebin.com/EzeFTq5t)
    // and "all hosts ... have been failing for a long time (and retry time not reached)" (Exim's
    // test suite, test/log/0461; sisimai's lhost-exim-08), Exchange's "4.4.7 QUEUE.Expired;
    // message expired" (lhost-exchange2007-05; pastebin.com/zeZFJvKs). Give-ups written apart
    // from the reply are notice-level marks (`GAVE_UP_FOR_TIME` in lib.rs).
    Expired concat!(
        r"retry (?:timeout|time) (?:exceeded|not reached)|delivery (?:time )?expired|message expired|giving up|could not be delivered within|",
        r"too long in (?:the )?queue|queue (?:time|period)|has been delayed|delivery attempts will continue|history expired|failing for a long time|",
        r"message timed out|server did not respond|unable to deliver message after multiple retries|was not reachable within|could not be delivered for more than|",
        r"connection timed out|timed out|did not accept our requests to connect|envelope expired|could not find a gateway|failed to deliver to domain|expired after|host not reachable"
    );
    SecurityError concat!(
        r"authentication (?:failed|required|turned on)|not authorized to send mail, authentication|unauthenticated senders|must (?:first )?authenticate|",
        r"account not subscribed to ses|not authorized to perform ses|executable files are not allowed|you don'?t authenticate|security (?:policy|reasons)|",
        r"verification failure|must be authenticated|smtp auth|",
        // The sending client's own SMTP submission was refused: Exchange Online's "5.7.57 Client
        // not authenticated to send mail" and "5.7.139 Authentication unsuccessful,
        // SmtpClientAuthentication is disabled for the Tenant" (Microsoft's NDR page for 5.7.57 and
        // its page "Enable or disable SMTP AUTH in Exchange Online").
        r"client (?:was )?not authenticated|authentication unsuccessful|smtpclientauthentication"
    );
    FailedStartTls concat!(
        r"starttls|(?:does not|doesn'?t) support tls|tls negotiation failed|tls (?:is )?required|requires? (?:a )?(?:secure|encrypted|tls) connection|must issue a starttls|encryption required|tls connection required|",
        // The receiving server's certificate failed the check TLS needs: Exchange Online's
        // `4.4.317 ... [Message=SubjectMismatch ... Cert subject of 'mx...' does not match the
        // certificate` (Microsoft's mail flow intelligence page lists 4.4.317's TLS causes), Exim's
        // "SSL verify error: certificate name mismatch", Postfix smtp(8)'s "Server certificate not
        // verified".
        r"subjectmismatch|cert(?:ificate)? subject .{0,120}does not match|certificate (?:name )?mismatch|certificate verif(?:y|ication) failed|server certificate not (?:verified|trusted)"
    );
    MailerError r"command died with status|command failed|exit code|procmail|mailer error|local delivery failed|\bx-unix\b|pipe to .{1,60} failed|error in processing";
    SyntaxError r"syntax error|malformed address|command unrecognized|unrecognized command|command not recognized|bad sequence of commands|line too long";
    // The sending service's own list of addresses it will not send to (Amazon SES Developer Guide,
    // "account-level suppression list": "did not send the message to this address because it is on
    // the suppression list for your account"; SendGrid's and Postmark's suppressions).
    // SendGrid's "dropped" event with the reason "Bounced Address": SendGrid did not send to an
    // address on its bounce list (django-anymail pull request #473, "SendGrid: better handling of
    // event=dropped, reason=Bounced Address webhook events"; try6 case 142 has such a notice).
    Suppressed r"suppression list|suppressed (?:address|recipient|destination)|address is suppressed|\bdropped\b.{0,40}\breason: bounced address\b";
    Vacation r"auto.?reply|out of (?:the )?office|on vacation|away from (?:my|the) office|i am (?:currently )?away|will be back|不在";

    // The common causes in the other languages bounces come in: one row per cause, one line per
    // language, each with the published wordings it rests on. Only ASCII is lowercased in the
    // copy the rows read, so a non-ASCII capital that may open a sentence (Cyrillic, "Ü", "Î") is
    // written both ways; in Japanese and Chinese `.` is one byte of a three-byte character.
    MailboxFull concat!(
        // ja: "メールボックスの容量がいっぱい" (megaegg.jp's FAQ on error mails), "メールボックスが一杯"
        // (catv-yokohama.ne.jp's FAQ, mail110ban.com), "容量オーバー" (pa-solution.net's help).
        r"メールボックス.{0,36}(?:いっぱい|一杯|容量|満杯)|容量.{0,30}(?:超え|オーバー|不足)|",
        // de: Exchange's German NDR "Das Postfach des Empfängers ist voll und kann zurzeit keine
        // Nachrichten annehmen" (pasted in github.com/corona-warn-app/cwa-quicktest-onboarding
        // issue 47), schieb.de's and parrot-media.de's "Das Postfach des Empfängers ist voll",
        // mail.fr's German table "Postfach voll / Speicherplatz überschritten"; "Speicherplatz des
        // Kontos ueberschritten" (bytecamp.net's FAQ of its replies), "Speicherplatz Limite (Quota)
        // erreicht" (support.onesystems.ch); Web.de's "Benutzer hat das Speichervolumen
        // ueberschritten", "zuviele Mails auf dem Server" (sitepackage.de's table, CleverReach).
        // "voll" only as a word: "vollständig" is not full.
        r"(?:postfach|mailbox) (?:des empf(?:ae|ä)ngers )?(?:ist )?voll(?:$|[\s.,;:)/])|speicherplatz[^.;\n]{0,40}(?:(?:ue|ü)berschritten|erreicht)|",
        r"speichervolumen (?:ue|ü)berschritten|zu ?viele mails auf dem server|",
        // fr: Orange's and La Poste's "Boite du destinataire pleine. Recipient overquota. OFR_417"
        // (their replies gathered in github.com/sisimai/p5-sisimai issue 240), Exchange's French NDR
        // "La boîte aux lettres du destinataire est pleine" (github.com/ForumPostAssistant/FPA issue
        // 136). Only the recipient's box: a help table's "la boite de votre correspondant est
        // pleine" (field/postfix-bbox-overquota-helptext) lists causes, it names none.
        r"bo(?:i|î|Î)te (?:aux lettres )?du destinataire (?:est )?pleine|",
        // es: "buzón lleno" (falconyte's Spanish page on 5.2.2), "La bandeja de entrada del
        // destinatario está llena" (tugurium.com's glossary), "casilla de correo llena"
        // (proppit's help on bounces), Gmail's Spanish help "no tiene espacio de almacenamiento".
        r"(?:buz(?:o|ó)n|casilla|bandeja de entrada)(?: de correo)?(?: del destinatario)? (?:est(?:a|á) )?llen[ao]|no tiene espacio de almacenamiento|",
        // it: Libero's help ("Casella postale piena", "la Casella è piena"), tuttosullapostaelettronica.it
        // ("casella di posta piena"), stiitalia.com on PEC boxes ("casella piena"), Microsoft's Italian
        // help on Outlook.com's returned mail ("Cassetta postale piena o quota superata"); Libero's,
        // Virgilio's and gari.it's reading of a full box ("ha raggiunto il limite massimo di capienza").
        r"(?:casella|cassetta) (?:di posta |postale |e-?mail )?(?:del destinatario )?(?:(?:e|è|È) )?piena|raggiunto il limite massimo di capienza|",
        // pt: Google's SMTP error reference, pt-BR edition, 4.2.2 ("A caixa de entrada do destinatário
        // está sem espaço de armazenamento"), netbit.com.br ("a caixa postal do destinatário está
        // cheia").
        r"caixa (?:postal |de (?:correio|entrada) )?(?:do destinat(?:a|á)rio )?(?:est(?:a|á) )?(?:cheia|lotada|sem espa(?:c|ç)o)|",
        // pl: Interia's help on returned mail ("odbiorca ma przepełnioną skrzynkę", 5.2.1), konto.pl's
        // list of returns ("przekroczona powierzchnia skrzynki odbiorczej").
        r"skrzynk(?:a|ę) (?:odbiorcy )?(?:jest )?(?:pe(?:l|ł)n(?:a|ą)|przepe(?:l|ł)nion(?:a|ą))|przepe(?:l|ł)nion(?:a|ą) skrzynk|przekroczona powierzchnia skrzynki|",
        // ru: "почтовый ящик переполнен" (vhod.ru), "Переполненный почтовый ящик" (a Google Sites help
        // page on mail that cannot be sent), "Переполнение почтового ящика" (defilo.ru on Mail.ru).
        r"(?:я|Я)щик (?:получателя )?переполнен|(?:п|П)ереполнен(?:ный|ие) (?:почтов(?:ый|ого) )?ящик|",
        // zh: QQ Mail's bounce help (收件人空间不足 "the recipient's space is insufficient"),
        // emailhost.com.cn's list of bounce kinds (收件容量满 beside "Quota exceeded"), 邮箱已满 /
        // 邮箱空间不足 "mailbox full / out of space" (netkiller's mail FAQ).
        r"收件人空间不足|邮箱空间不足|邮箱(?:容量)?已满|收件容量满"
    );
    UserUnknown concat!(
        // ja: "宛先不明" (catv-yokohama.ne.jp's and pa-solution.net's help on returned mail),
        // "宛先がみつかりませんでした" (a Japanese notice in the Sisimai corpus, err-make-test-31),
        // Gmail's Japanese "送信先のメール アカウントは存在しません" (support.google.com/mail/answer/6596?hl=ja),
        // Microsoft's Japanese help on returned mail (「不明なアドレスです」「ユーザーが見つかりません」);
        // the noun may carry the address itself before は/が ("宛先のメールアドレス a@b は存在しません";
        // y-ml.com's help on 「受信先又は転送先のアカウントが存在しない」 returns), at most one token.
        r"宛先.{0,45}(?:不明|存在しません|見つかりません|みつかりません)|存在しない(?:アドレス|ユーザ)|(?:アドレス|ユーザー?|受信者|アカウント|メールボックス)(?: ?<?[!-~]{3,254}>? ?)?(?:が|は)(?:存在しません|見つかりません)|不明なアドレス|",
        // de: Web.de's "550 Benutzer nicht bekannt/User unknown" (sitepackage.de's table), "Empfänger
        // unbekannt / Adresse existiert nicht" (mail.fr's German table; gartentechnik.com's help),
        // "Empfänger ist unbekannt oder existiert nicht mehr" (sitepackage.de), "die Empfänger-Adresse
        // nicht existiert" (support.onesystems.ch); Exchange Online's German "<name> wurde nicht in
        // <domain> gefunden" (pasted in github.com/fschulze/jumpnbump issue 3; its English is "wasn't
        // found at"). `\b`: a sender's address ("Absenderadresse") is not the recipient's.
        r"(?:benutzer|empf(?:ae|ä)nger) (?:ist )?(?:nicht bekannt|unbekannt)|\b(?:adresse|postfach|empf(?:ae|ä)nger(?:-?adresse)?) (?:des empf(?:ae|ä)ngers )?(?:existiert nicht|nicht existiert)|",
        r"wurde nicht in [a-z0-9-]+(?:\.[a-z0-9-]+)+ gefunden|",
        // fr: "Utilisateur inconnu" (arobase.org's guide to error messages, assistance.email's table,
        // and the French help table of a Postfix bounce template in field/postfix-bbox-overquota-
        // helptext); Orange's and La Poste's "Adresse d au moins un destinataire invalide. Invalid
        // recipient" (github.com/sisimai/p5-sisimai issues 240 and 241).
        r"utilisateur inconnu|adresse d.? ?au moins un destinataire invalide|",
        // es: "Usuario inexistente", "no se encuentra en la Libreta / en el Directorio de Domino"
        // (alexborras.com's list of Spanish bounce wordings; the latter is Domino's "not listed in
        // ... Address Book"), Gmail's Spanish help "La dirección de correo electrónico del
        // destinatario no existe" (support.google.com/mail/answer/6596?hl=es-419), "Destinatario
        // desconocido" (flonchi.org's page on returned mail).
        r"(?:usuario|destinatario) (?:inexistente|desconocido)|no se encuentra en (?:la libreta|el directorio)|(?:usuario|cuenta|buz(?:o|ó)n|casilla|direcci(?:o|ó)n)[^.;\n]{0,60} no existe|",
        // it: Exchange's Italian NDR "Non sono riuscito a trovare l'indirizzo e-mail che hai immesso"
        // (Sisimai corpus lhost-exchange2007-07); Libero's and Virgilio's help on delivery errors
        // ("L'indirizzo di posta al quale stai scrivendo non esiste"), Roma Tre's guide to error
        // messages ("L'indirizzo di posta del destinatario non esiste", "... del destinatario
        // errato").
        // Microsoft's Italian help on Outlook.com's returned mail: "Cassetta postale non trovata o non
        // valida oppure utente sconosciuto" (support.office.com it-it), "Mailbox non trovata, Mailbox
        // non valida o Utente sconosciuto" (windows.microsoft.com it-it).
        r"(?:indirizzo|utente|casella)[^.;\n]{0,40} non esiste|trovare l.indirizzo e-?mail che hai immesso|destinatario (?:errato|sconosciuto|inesistente)|",
        r"utente sconosciuto|(?:cassetta postale|mailbox) non trovata|",
        // pt: "Usuário desconhecido" (bs2internet.com's and br.ccm.net's readings of "User
        // unknown"), "esta caixa postal não existe" (clubedohardware.com.br), "o destinatário da
        // mensagem não existe" (netbit.com.br).
        r"(?:usu(?:a|á)rio|destinat(?:a|á)rio) (?:desconhecido|inexistente)|(?:caixa postal|conta|endere(?:c|ç)o|destinat(?:a|á)rio)[^.;\n]{0,40} n(?:a|ã)o existe|",
        // pl: "konto ... nie istnieje" (Interia's page for 5.1.1; Onet's help "Docelowe konto nie
        // istnieje"), "Konto niedostępne" (issue 12's hidden public posts); "użytkownik o podanym
        // adresie nie istnieje", "Nieznany adres email" (sare.pl's readings of 5.1.1 and 5.1.3),
        // "nie ma takiego odbiorcy / takiej skrzynki" (konto.pl's list of returns), "Użytkownik nie
        // został odnaleziony" (webpc.pl's reading of 551).
        r"konto .{0,40}nie istnieje|konto (?:jest )?niedost(?:e|ę)pne|",
        r"u(?:z|ż)ytkownik (?:o podanym adresie )?nie (?:istnieje|zosta(?:l|ł) odnaleziony)|nie ma takiego (?:u(?:z|ż)ytkownika|odbiorcy|adresu|konta)|nie ma takiej skrzynki|nieznany adres e-?mail|",
        // zh: QQ Mail's bounce help (该用户不存在 "this user does not exist", 该用户未开通QQ邮箱 "has not
        // opened a mailbox"), emailhost.com.cn's list (收件人不存在 beside "user not exist"), 263's
        // table of bounces and yfs8.com's list (邮箱地址不存在 / 邮箱帐号不存在), a Chinese server's
        // "550 mailbox unavailable (邮箱不存在)" (blog.sina.com.cn's table of its replies).
        r"用户不存在|用户未开通|收件人(?:地址)?不存在|邮箱(?:地址|帐号|账号)?不存在"
    );
    HostUnknown concat!(
        // de: "Domain existiert nicht" (sitepackage.de's table of bounces). fr: "Domaine introuvable"
        // (assistance.email's table), "Hôte inconnu" (arobase.org's guide to error messages). it:
        // "Host sconosciuto" (Microsoft's Italian help on Outlook.com's returned mail).
        r"domain existiert nicht|domaine (?:introuvable|inconnu|inexistant)|h(?:ô|o|Ô)te inconnu|host sconosciuto|",
        // es: "Nombre de dominio no encontrado" (flonchi.org), "Dominio no encontrado", "el dominio del
        // destinatario no existe" (hosting panels' localised bounce templates). it: Libero's and
        // Virgilio's "ROUTING SERVER FAILURE ... il dominio ... non esiste". pt: netbit.com.br ("o
        // domínio do destinatário não existir").
        r"dominio (?:no encontrado|inexistente)|el dominio .{0,40}no existe|il dominio[^.;\n]{0,60} non esiste|dom(?:i|í)nio[^.;\n]{0,40} n(?:a|ã)o exist|",
        // pl: "Nie ma takiej domeny" (sare.pl's reading of 5.1.2). zh: 域名不存在 "the domain does not
        // exist" (emailhost.com.cn's list, beside "DNS query error").
        r"nie ma takiej domeny|域名不存在"
    );
    Suspend concat!(
        // ja: "このアカウントは現在利用停止中です" (@nifty's and other Japanese ISPs' wording beside
        // 5.2.1, RFC 3463's "mailbox disabled"); 利用停止 is "use stopped", アカウント停止 "account stopped".
        r"利用停止|アカウント.{0,15}停止|",
        // de: mail.fr's German table ("Postfach ... deaktiviert"), parrot-media.de ("Das Postfach des
        // Empfängers wurde deaktiviert"), support.onesystems.ch ("das Postfach ... deaktiviert wurde").
        r"(?:postfach|konto) (?:des empf(?:ae|ä)ngers )?(?:ist |wurde )?(?:deaktiviert|gesperrt)|",
        // es: qmail's Spanish "Esta casilla ha expirado por falta de uso" (field/qmail-casilla-expirada;
        // alexborras.com's list of Spanish bounce wordings).
        r"casilla (?:ha )?expirad[ao]|expirad[ao] por falta de uso|",
        // fr: La Poste's and Orange's "Boite du destinataire archivee. Archived recipient. LPN004_420"
        // (github.com/sisimai/p5-sisimai issue 241).
        r"bo(?:i|î)te du destinataire archiv(?:e|é)e|",
        // pl: "konto zostało zawieszone / zablokowane" (Interia's help page on returned mail, 5.2.1),
        // "Nieaktywna skrzynka pocztowa" (sare.pl's reading of 5.2.1).
        r"konto (?:jest |zosta(?:l|ł)o )(?:zablokowane|zawieszone)|nieaktywna skrzynka|skrzynka (?:jest )?(?:nieaktywna|wy(?:l|ł)(?:a|ą)czona)|",
        // zh: 邮箱被锁 "the mailbox is locked", a Chinese server's gloss of its "550 user is locked"
        // (blog.sina.com.cn's table of its replies).
        r"邮箱被锁"
    );
    MesgTooBig concat!(
        // de: "Die E-Mail ist zu groß" (schieb.de's reading of 5.3.4), "dass die zu versendende Mail zu
        // groß ist" (mailhilfe.de on 534). fr: Orange's "Taille limite du message atteinte. Maximum size
        // of the message reached. OFR_514" (github.com/sisimai/p5-sisimai issue 240), "Taille du message
        // trop grande" (assistance.email's table), "message trop volumineux" (jeanboulanger.com's
        // reading of "message file too big"). pl: "Wiadomość zbyt długa" (sare.pl's reading of 5.2.3).
        r"(?:nachricht|(?:e-?)?mail) (?:ist )?zu gro(?:ß|ss)|taille limite du message atteinte|taille du message trop (?:grande|importante)|message trop volumineux|",
        r"wiadomo(?:s|ś)(?:c|ć) (?:jest )?(?:zbyt|za) (?:d(?:l|ł)uga|du(?:z|ż)a)|",
        // zh: 邮件过大 "mail too large" (emailhost.com.cn's list, beside "exceeded mailsize limit"),
        // 邮件大小超过限制 "mail size over the limit" (blog.sina.com.cn's table: "552 message is too
        // long"; gxwh.com.cn's page on returned overseas mail).
        r"邮件(?:大小)?(?:过大|太大|超过(?:大小)?限制)"
    );
};

/// Wordings that say a recipient was refused without naming why: they count only when nothing
/// else in the words, the code or the command names a cause.
pub static VAGUE_RULES: &[Rule] = rules! {
    // EZweb's and other carriers' "Each of the following recipients was rejected by a remote mail
    // server" heads the remote reply; the reply's own words ("User unknown") decide when given.
    Filtered r"recipients? (?:was|were) rejected by a remote";
};

/// Wordings that mean a reason only beside one status code, tried right after the strong rows.
pub static CODE_BOUND_RULES: &[(&str, Rule)] = &[
    // Microsoft's NDR page for 5.4.1 gives "Recipient address rejected: Access denied" as
    // Exchange Online's directory-based edge block: the address does not exist (also seen in a
    // public paste and a helpdesk's bounce table). Without 5.4.1 the same words are Postfix
    // access(5)'s default refusal, which names no missing mailbox.
    ("x.4.1", Rule { reason: Reason::UserUnknown, pattern: r"recipient address rejected: access denied" }),
    // "Connection refused" in a reply the receiving server spoke under a security or policy code
    // (RFC 3463 §3.8: X.7.0 "other or undefined security status", X.7.1 "delivery not
    // authorized, message refused"): the server refused this sender's connection. A refused TCP
    // connect ends before any reply (RFC 5321 §3.1: the session begins with the server's
    // opening message), so it carries no such code.
    ("x.7.1", Rule { reason: Reason::Blocked, pattern: r"connection refused" }),
    ("x.7.0", Rule { reason: Reason::Blocked, pattern: r"connection refused" }),
];

/// The reasons decided first, in this order, by status code or phrase. A virus verdict comes
/// before spam: filters word their refusal for either ("virus or spam content") and then name
/// what they found (ClamAV's "Virus found: <name>", Sophos' and Trend Micro's virus names), the
/// more precise verdict.
pub static FIRST_PASS: &[Reason] = &[
    // The sending service's own refusal to send names the cause before the code it borrows
    // (Amazon SES writes `5.1.1` beside "on the suppression list for your account").
    Reason::Suppressed, Reason::MailboxFull, Reason::MesgTooBig, Reason::ExceedLimit, Reason::Suspend, Reason::HasMoved,
    Reason::NoRelaying, Reason::AuthFailure, Reason::UserUnknown, Reason::Filtered, Reason::RequirePtr,
    Reason::NotCompliantRfc, Reason::BadReputation, Reason::ContentError, Reason::Rejected,
    Reason::HostUnknown, Reason::VirusDetected, Reason::SpamDetected, Reason::Speeding, Reason::TooManyConn, Reason::Blocked,
];

/// The phrases tried when neither the decisive reasons nor the status code decided.
pub static SECOND_PASS: &[Reason] = &[
    Reason::MailboxFull, Reason::AuthFailure, Reason::BadReputation, Reason::Speeding, Reason::SpamDetected,
    Reason::VirusDetected, Reason::PolicyViolation, Reason::NoRelaying, Reason::SystemError,
    Reason::NotAccept, Reason::NetworkError, Reason::Suspend, Reason::ContentError, Reason::SystemFull,
    Reason::Expired, Reason::SecurityError, Reason::FailedStartTls, Reason::Suppressed, Reason::MailerError,
];

/// The reasons whose wordings name a cause precisely enough to set a status code that says
/// something else aside: the decisive reasons, and content, disk and null-MX wordings. (Vague
/// ones, "service unavailable", "policy", "timed out", do not.)
static NAMING: &[Reason] = &[
    Reason::Suppressed, Reason::MailboxFull, Reason::MesgTooBig, Reason::ExceedLimit, Reason::Suspend, Reason::HasMoved,
    Reason::NoRelaying, Reason::AuthFailure, Reason::UserUnknown, Reason::Filtered, Reason::RequirePtr,
    Reason::NotCompliantRfc, Reason::BadReputation, Reason::ContentError, Reason::Rejected,
    Reason::HostUnknown, Reason::SpamDetected, Reason::Speeding, Reason::TooManyConn, Reason::Blocked,
    Reason::VirusDetected, Reason::SystemFull, Reason::NotAccept,
];

/// Whether words naming `named` only restate, less precisely, what the code says: an addressing
/// code (`x.1.x`, RFC 3463 §3.2) beside words on a missing or moved address or sender (`5.1.6`
/// beside "not our customer"); a size code beside size words (`5.2.3` "message length exceeds
/// administrative limit" is the per-recipient limit, RFC 3463 §3.3); a security code (`x.7.x`)
/// beside a bare refusal of the sender ("delivery not authorized", "access denied").
fn kin(status: &str, coded: Reason, named: Reason) -> bool {
    let size = |r| matches!(r, Reason::MesgTooBig | Reason::ExceedLimit);
    // An addressing code whose reason is not an address's: `x.1.10` sits under addressing but
    // means the domain takes no mail (RFC 7505's null MX), so words naming a missing user are
    // another cause beside it and decide (Exchange Online gives "5.1.10 Recipient not found by
    // SMTP address lookup", Microsoft's NDR page for 5.1.10). Keyed on the reason the status
    // table gives, not on the code's spelling.
    let addressing = status.get(1..3) == Some(".1") && status.get(3..4) == Some(".") && coded != Reason::NotAccept;
    let security = status.get(1..4) == Some(".7.");
    (addressing && matches!(named, Reason::UserUnknown | Reason::HostUnknown | Reason::HasMoved | Reason::Rejected))
        || (size(coded) && size(named))
        || (security && named == Reason::Rejected)
}

/// Status-code reasons so general (x.7.x "security", x.4.x "network") that the server's words
/// decide first when they say something more precise.
static WEAK_CODE_REASONS: &[Reason] = &[Reason::SecurityError, Reason::SystemError, Reason::NetworkError, Reason::Expired, Reason::ContentError, Reason::SyntaxError];

/// What an enhanced status code means by itself (RFC 3463 and its registry). Exact codes first;
/// `x.` entries match either class.
static STATUS_REASON: &[(&str, Reason)] = &[
    ("x.1.0", Reason::UserUnknown), ("x.1.1", Reason::UserUnknown), ("x.1.2", Reason::HostUnknown),
    ("x.1.3", Reason::UserUnknown), ("x.1.4", Reason::Filtered), ("x.1.6", Reason::HasMoved),
    ("x.1.7", Reason::Rejected), ("x.1.8", Reason::Rejected), ("x.1.9", Reason::SystemError),
    ("x.1.10", Reason::NotAccept), ("4.2.1", Reason::Suspend), ("5.2.0", Reason::Filtered),
    ("5.2.1", Reason::Suspend), ("x.2.2", Reason::MailboxFull), ("x.2.3", Reason::ExceedLimit),
    ("x.2.4", Reason::Filtered), ("5.3.0", Reason::SystemError), ("x.3.1", Reason::SystemFull),
    ("4.3.2", Reason::SystemError), ("5.3.2", Reason::NotAccept), ("x.3.3", Reason::SystemError), ("x.3.4", Reason::MesgTooBig),
    ("x.3.5", Reason::SystemError), ("5.4.0", Reason::NetworkError), ("x.4.1", Reason::NetworkError),
    ("x.4.2", Reason::NetworkError), ("4.4.3", Reason::SystemError), ("5.4.3", Reason::SystemError),
    ("4.4.4", Reason::NetworkError), ("5.4.4", Reason::HostUnknown), ("x.4.5", Reason::NetworkError),
    ("x.4.6", Reason::NetworkError), ("x.4.7", Reason::Expired), ("x.5.2", Reason::SyntaxError),
    ("4.5.3", Reason::SystemError), ("5.5.3", Reason::TooManyConn), ("x.5.4", Reason::SyntaxError),
    ("x.5.5", Reason::SyntaxError), ("x.5.6", Reason::SyntaxError), ("x.6.0", Reason::ContentError),
    ("x.6.2", Reason::ContentError), ("x.6.3", Reason::ContentError),
    ("x.6.5", Reason::ContentError), ("x.6.6", Reason::ContentError), ("x.6.7", Reason::ContentError),
    ("x.6.8", Reason::ContentError), ("x.6.9", Reason::ContentError), ("x.7.0", Reason::SecurityError),
    ("x.7.1", Reason::SecurityError), ("x.7.2", Reason::SecurityError), ("x.7.3", Reason::SecurityError),
    ("x.7.4", Reason::SecurityError), ("x.7.5", Reason::SecurityError), ("x.7.6", Reason::SecurityError),
    ("x.7.7", Reason::SecurityError), ("x.7.8", Reason::SecurityError), ("x.7.9", Reason::SecurityError),
    ("x.7.10", Reason::FailedStartTls), ("x.7.11", Reason::FailedStartTls), ("x.7.13", Reason::Suspend),
    ("x.7.14", Reason::SecurityError), ("x.7.15", Reason::SecurityError), ("x.7.16", Reason::MesgTooBig),
    ("x.7.17", Reason::HasMoved), ("x.7.18", Reason::HasMoved), ("x.7.19", Reason::SecurityError),
    ("x.7.20", Reason::AuthFailure), ("x.7.21", Reason::AuthFailure), ("x.7.22", Reason::AuthFailure),
    ("x.7.23", Reason::AuthFailure), ("x.7.24", Reason::AuthFailure), ("x.7.25", Reason::RequirePtr),
    ("x.7.26", Reason::AuthFailure), ("x.7.27", Reason::NotAccept), ("x.7.28", Reason::Speeding),
    ("x.7.29", Reason::SecurityError), ("x.7.30", Reason::FailedStartTls),
    // Exchange Online's own codes.
    ("x.7.509", Reason::AuthFailure), ("x.7.515", Reason::AuthFailure), ("x.7.606", Reason::Blocked),
    ("x.7.607", Reason::Blocked), ("x.7.608", Reason::Blocked), ("x.7.650", Reason::BadReputation),
    ("x.7.708", Reason::Blocked), ("x.7.750", Reason::Blocked), ("x.7.511", Reason::Blocked),
    ("x.7.512", Reason::SecurityError), ("x.7.520", Reason::PolicyViolation), ("5.4.316", Reason::Expired), ("5.4.317", Reason::Expired),
    ("5.4.318", Reason::Expired), ("4.4.316", Reason::NetworkError), ("4.4.317", Reason::NetworkError), ("4.4.318", Reason::NetworkError), ("x.1.351", Reason::UserUnknown), ("x.2.121", Reason::Speeding),
    ("x.2.122", Reason::Speeding), ("x.4.310", Reason::HostUnknown),
];

/// Every row, in one index space: [`STRONG_RULES`], [`RULES`], [`VAGUE_RULES`], then
/// [`CODE_BOUND_RULES`].
fn all_rows() -> impl Iterator<Item = &'static Rule> {
    phrase_rows().chain(VAGUE_RULES).chain(CODE_BOUND_RULES.iter().map(|(_, rule)| rule))
}

/// The rows that say their reason wherever they match: the strong ones, then the others.
fn phrase_rows() -> impl Iterator<Item = &'static Rule> {
    STRONG_RULES.iter().chain(RULES)
}

/// Where the vague rows start in [`all_rows`], and where the code-bound ones start.
fn vague_start() -> usize {
    STRONG_RULES.len() + RULES.len()
}

fn code_bound_start() -> usize {
    vague_start() + VAGUE_RULES.len()
}

/// How many rows the table has, in [`all_rows`]'s index space.
pub fn rows() -> usize {
    all_rows().count()
}

/// Row `index`'s pattern, compiled ahead of a first message (see [`crate::prepare`]).
pub fn prepare(index: usize) {
    row(index);
}

/// One lazily compiled regex per row (see [`all_rows`]): most messages reach only a few rows.
fn row(index: usize) -> &'static Regex {
    static ROWS: OnceLock<Vec<pattern::Lazy>> = OnceLock::new();
    ROWS.get_or_init(|| all_rows().map(|r| pattern::Lazy::new(r.pattern)).collect())[index].get()
}

/// What is known about one delivery when its reason is decided.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    /// The remote server's words.
    pub diagnostic: &'a str,
    pub status: Option<&'a str>,
    pub reply_code: Option<&'a str>,
    /// The SMTP command the server answered, uppercase.
    pub command: Option<&'a str>,
    pub action: Option<Action>,
    /// The reporting MTA's own words on the failure (see [`Delivery::mta_remark`]).
    ///
    /// [`Delivery::mta_remark`]: crate::report::Delivery::mta_remark
    pub remark: Option<&'a str>,
    /// The receiving system wrote the notice after accepting the message (see
    /// [`Delivery::after_acceptance`]).
    ///
    /// [`Delivery::after_acceptance`]: crate::report::Delivery::after_acceptance
    pub after_acceptance: bool,
    /// The text was pasted without the notice around it (`decoded_by: fragment`): a missing
    /// command means the user cut it, not that the reply came after the recipient was accepted.
    pub pasted: bool,
    /// The reporting MTA gave the message up because it had been queued too long (see
    /// [`Delivery::gave_up_for_time`]).
    ///
    /// [`Delivery::gave_up_for_time`]: crate::report::Delivery::gave_up_for_time
    pub gave_up_for_time: bool,
}

/// The decision on one delivery: the reason, and the evidence when a phrase decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub reason: Reason,
    pub evidence: Option<Evidence>,
}

/// The phrases found in one text: which rows matched, each searched once and only when asked
/// (most decisions consult a few rows).
struct Found<'a> {
    text: &'a str,
    lower: Vec<u8>,
    /// `lower` with the paths of links blanked (see [`blank_link_paths`]).
    words: Vec<u8>,
    matched: Vec<std::cell::OnceCell<bool>>,
}

impl<'a> Found<'a> {
    fn new(text: &'a str) -> Found<'a> {
        let lower = text.as_bytes().to_ascii_lowercase();
        let words = blank_link_paths(&lower);
        Found { text, lower, words, matched: vec![std::cell::OnceCell::new(); all_rows().count()] }
    }

    /// Whether a row's phrase is in the text. One search per row: each row's lazy DFA stays
    /// small and warm, where one set of all rows would overflow its cache and fall back to the
    /// slow engine.
    fn matched(&self, index: usize) -> bool {
        *self.matched[index].get_or_init(|| !self.lower.is_empty() && row(index).is_match(self.haystack(index)))
    }

    /// What a row reads: the strong rows name providers by their links too (a blocklist's
    /// lookup page); the others read words, not the paths of help links.
    fn haystack(&self, index: usize) -> &[u8] {
        if index < STRONG_RULES.len() { &self.lower } else { &self.words }
    }

    /// Whether the words name a cause other than the one a status code gives (see [`NAMING`]),
    /// and not one of its kin, between which the code is the more precise.
    fn names_other_than(&self, coded: Reason, status: &str) -> bool {
        NAMING.iter().any(|&named| named != coded && !kin(status, coded, named) && self.says(named))
    }

    fn says(&self, reason: Reason) -> bool {
        phrase_rows().enumerate().any(|(index, rule)| rule.reason == reason && self.matched(index))
    }

    /// The decision for a reason, with the span of the phrase when one says it.
    fn decision(&self, reason: Reason) -> Decision {
        match phrase_rows().enumerate().find(|(index, rule)| rule.reason == reason && self.matched(*index)) {
            Some((index, _)) => self.decision_by_row(index),
            None => Decision { reason, evidence: None },
        }
    }

    /// The decision a matched row of the table makes, with its span.
    fn decision_by_row(&self, index: usize) -> Decision {
        let reason = all_rows().nth(index).map_or(Reason::OnHold, |rule| rule.reason);
        let evidence = row(index).find(self.haystack(index)).map(|found| {
            let (start, end) = pattern::char_span(self.text, found.start(), found.end());
            let strength = if index < STRONG_RULES.len() {
                "first"
            } else if index >= code_bound_start() {
                "code"
            } else if index >= vague_start() {
                "vague"
            } else {
                "phrase"
            };
            Evidence { rule: format!("{}/{strength}", reason.as_str()), start, end }
        });
        Decision { reason, evidence }
    }
}

/// The text with the path, query and fragment of each `http(s)://` link blanked (same length, so
/// spans stay put): a help page's address ("/answer/ptr-records", "?p=spam-policy") is not the
/// server's words. The host stays: it names who refused.
fn blank_link_paths(lower: &[u8]) -> Vec<u8> {
    let mut words = lower.to_vec();
    let mut from = 0;
    while let Some(found) = words[from..].windows(3).position(|w| w == b"://") {
        let host_start = from + found + 3;
        let host_end = words[host_start..].iter().position(|&b| !(b.is_ascii_alphanumeric() || b == b'.' || b == b'-')).map_or(words.len(), |n| host_start + n);
        let path_end = words[host_end..].iter().position(|&b| b.is_ascii_whitespace() || matches!(b, b'>' | b')' | b']' | b'"' | b'\'')).map_or(words.len(), |n| host_end + n);
        words[host_end..path_end].fill(b' ');
        from = path_end.max(host_start);
    }
    words
}

/// Decides the reason from the server's words and, failing that, the status code (no command,
/// no action known).
pub fn classify(text: &str, status: Option<&str>) -> Decision {
    decide(&Facts { diagnostic: text, status, ..Facts::default() })
}

/// Where the help text of a reply begins: the advice a server appends after its refusal
/// ("Please visit https://support.google.com/... to learn more", Google's SMTP error reference;
/// "For more information, see ...", Microsoft's NDR pages; Postfix sites' "If you are a
/// legitimate sender ... make sure your server has a valid PTR record, is not listed on ..."),
/// from the lowercased words. What follows names what to check, not why this mail was refused.
fn help_text_start(lower: &[u8]) -> Option<usize> {
    static RE: pattern::Lazy = pattern::Lazy::new(
        r"(?:^|[\s.;,(])(if you (?:are a legitimate sender|believe|feel|think)|make sure|please (?:see|visit|refer to|read|go to)|for more information|to learn more)\b",
    );
    RE.get().captures(lower).and_then(|c| c.get(1)).map(|m| m.start())
}

/// Decides the reason of one delivery (see the module's explanation of the precedence). In a
/// reply that goes on with help text, the refusal before it decides when its words name the
/// cause its enhanced status code gives (`5.1.1 ... No such user here`): a list or a word the
/// help text mentions ("make sure you are not listed on zen.spamhaus.org") is not the server's
/// verdict on this mail. (A provider's tag after its help link, Cox's `... for more information.
/// AUP#CDRBL` beside a refused sender, is still read: there the words and the code disagree.)
pub fn decide(facts: &Facts<'_>) -> Decision {
    // Each text is lowercased and each of its rows searched once: the head's rows, read to
    // test the code's cause, decide it too.
    let found = Found::new(facts.diagnostic);
    let coded = facts.status.filter(|s| !is_pseudo_status(s)).and_then(by_status);
    if let Some(coded) = coded
        && let Some(at) = help_text_start(&found.lower).filter(|&at| at > 0)
        && let Some(head) = facts.diagnostic.get(..at)
    {
        let head_found = Found::new(head);
        if head_found.says(coded) {
            return decide_on_words(&Facts { diagnostic: head, ..*facts }, &head_found);
        }
    }
    decide_on_words(facts, &found)
}

/// [`decide_reason`], then the reporting MTA's give-up for time: where the last attempt's
/// error names nothing finer than a network failure or nothing at all, the verdict is the
/// expiry the MTA reports (RFC 3463 X.4.7 "delivery time expired"; the notice sentences of
/// Sendmail, qmail and Exchange in lib.rs's `GAVE_UP_FOR_TIME`). Words that name a cause keep it
/// (lhost-sendmail-11's "host name lookup failure", -39's "Insufficient disk space").
fn decide_on_words(facts: &Facts<'_>, found: &Found<'_>) -> Decision {
    let decision = decide_reason(facts, found);
    let only_a_network_code = decision.evidence.is_none() && matches!(decision.reason, Reason::NetworkError | Reason::OnHold | Reason::Undefined);
    if facts.gave_up_for_time && facts.action != Some(Action::Delayed) && only_a_network_code {
        return Decision { reason: Reason::Expired, evidence: None };
    }
    decision
}

/// [`decide`]'s precedence, over `found`, the phrase rows read in `facts.diagnostic`.
fn decide_reason(facts: &Facts<'_>, found: &Found<'_>) -> Decision {
    let bare = |reason| Decision { reason, evidence: None };
    let status = facts.status.filter(|s| !is_pseudo_status(s));
    if status.is_some_and(|s| s.starts_with("2.")) {
        return bare(Reason::Delivered);
    }
    if let Some(index) = (0..STRONG_RULES.len()).find(|&i| found.matched(i)) {
        return found.decision_by_row(index);
    }
    let code_bound = code_bound_start();
    let bound = CODE_BOUND_RULES.iter().enumerate().find(|(i, (code, _))| status.is_some_and(|s| code_matches(code, s)) && found.matched(code_bound + i));
    if let Some((i, _)) = bound {
        return found.decision_by_row(code_bound + i);
    }
    // The reporting MTA's remark names the failure more precisely than its status code does
    // (`5.2.1 (mailbox disabled)`, category `bad-mailbox`, Mimecast's "address is possibly
    // incorrect").
    if let Some(reason) = facts.remark.and_then(reason_named_by) {
        // The reporting MTA has already read the server's words; its reading decides.
        return bare(reason);
    }
    // The words decide when they name a cause: a code whose reason the words do not say gives
    // way when they name another one (`5.7.17` beside "no mailbox here by that name", `5.6.0`
    // beside a spam verdict, `5.3.0` beside "Unknown E-Mail Address").
    let raw_code = status.and_then(by_status);
    let by_code = raw_code.filter(|&coded| found.says(coded) || !found.names_other_than(coded, status.unwrap_or("")));
    // Unnamed, the command may still show in the reply's form (only RCPT names the recipient).
    let command = facts.command.or_else(|| crate::smtp::command_implied_by_reply(facts.diagnostic)).unwrap_or("");
    let code_allows_unknown = by_code.is_none_or(|r| r != Reason::Filtered && r != Reason::Suspend);
    // Pasted text without the command: the user cut the notice around the reply, so nothing
    // says the refusal came after the recipient was accepted (the convention below is for whole
    // notices, whose MTA left the command out).
    let cut_by_user = facts.pasted && command.is_empty() && !facts.after_acceptance;
    let unknown_at_once = cut_by_user || (!facts.after_acceptance && status.is_none() && command.is_empty() && facts.reply_code.is_none());
    // Reasons the decisive order puts before a missing mailbox still come first when said.
    let said_before = [Reason::MailboxFull, Reason::MesgTooBig, Reason::ExceedLimit, Reason::Suspend, Reason::HasMoved].iter().any(|&r| found.says(r));
    if unknown_at_once && code_allows_unknown && !said_before && !found.says(Reason::Filtered) {
        // A notice in a mail system's own words, without status, reply code or command: nothing
        // says the refusal came after the recipient was accepted. (A status report or a quoted
        // SMTP reply that names no command is read below as the receiving side's filter, the
        // way the reference corpus labels it, and so is a notice the receiving system wrote
        // after it had accepted the message.) A missing domain, when named, is the more precise.
        if found.says(Reason::UserUnknown) {
            let missing = if decisive(Reason::HostUnknown, status, (raw_code, by_code), command, cut_by_user, found) { Reason::HostUnknown } else { Reason::UserUnknown };
            return found.decision(missing);
        }
    }
    for &reason in FIRST_PASS {
        if decisive(reason, status, (raw_code, by_code), command, cut_by_user, found) {
            return if by_code == Some(reason) && !found.says(reason) { bare(reason) } else { found.decision(reason) };
        }
    }
    if let Some(code_reason) = by_code
        && !FIRST_PASS.contains(&code_reason) && !WEAK_CODE_REASONS.contains(&code_reason)
    {
        return bare(code_reason);
    }
    if let Some(&reason) = SECOND_PASS.iter().find(|&&r| found.says(r)) {
        return found.decision(reason);
    }
    if let Some(code_reason) = by_code.filter(|r| WEAK_CODE_REASONS.contains(r)) {
        return bare(code_reason);
    }
    let class_subject = status.map(|s| s.get(..3).unwrap_or(""));
    match class_subject {
        Some("5.6" | "4.6") => return bare(Reason::ContentError),
        Some("5.7" | "4.7") => return bare(Reason::SecurityError),
        _ => {}
    }
    if found.says(Reason::SyntaxError) || facts.reply_code.is_some_and(|c| matches!(c, "500" | "501" | "502" | "503" | "504")) {
        return found.decision(Reason::SyntaxError);
    }
    if facts.action == Some(Action::Delayed) {
        return bare(Reason::Expired);
    }
    if matches!(command, "CONN" | "HELO" | "EHLO") {
        return bare(Reason::Blocked);
    }
    if found.says(Reason::Vacation) {
        return found.decision(Reason::Vacation);
    }
    if let Some(index) = (vague_start()..code_bound_start()).find(|&i| found.matched(i)) {
        return found.decision_by_row(index);
    }
    if facts.diagnostic.trim().is_empty() { bare(Reason::Undefined) } else { bare(Reason::OnHold) }
}

/// Whether the words say the receiving server greylisted the message: it refuses a first attempt
/// for a while and lets the sending server's own retry through (RFC 6647 §2).
pub fn names_greylisting(words: &str) -> bool {
    static RE: pattern::Lazy = pattern::Lazy::new(concat!("(?i)", greylisting_words!()));
    RE.get().is_match(words.as_bytes())
}

/// Whether a delay's words say the sending server could not connect to the receiving one:
/// Sendmail's "Deferred: Connection timed out with host" / "Connection refused by host"
/// (sendmail's op.me, deferred deliveries), Postfix smtp(8)'s "connect to host[ip]:25:
/// Connection timed out" / "No route to host", Gmail's delay notice "did not accept our requests
/// to connect", Microsoft's 4.4.1 NDR page "Failed to connect. Winsock error code: 10060". The
/// corpora label such a delay `expired`; this only words its cause.
pub fn names_failed_connection(words: &str) -> bool {
    static RE: pattern::Lazy = pattern::Lazy::new(
        r"(?i)connection (?:timed out|refused|reset|lost)|\bconnect to [^\n]*?: (?:connection|no route|network)|failed to connect|could not connect|did not accept our requests to connect|no route to host|network is unreachable|host is unreachable",
    );
    RE.get().is_match(words.as_bytes())
}

/// The reason a sending system's own remark names (see [`Facts::remark`]), if any.
pub fn reason_named_by(remark: &str) -> Option<Reason> {
    let remark = Found::new(remark);
    FIRST_PASS.iter().chain(SECOND_PASS).copied().find(|&reason| remark.says(reason))
}

/// Whether a decisive reason holds, by its status code or its phrases, with the guards the
/// corpus labels follow.
fn decisive(reason: Reason, status: Option<&str>, (raw_code, by_code): (Option<Reason>, Option<Reason>), command: &str, cut_by_user: bool, found: &Found<'_>) -> bool {
    let coded = by_code == Some(reason);
    let temporary = status.is_some_and(|s| s.starts_with('4'));
    let before_data = matches!(command, "CONN" | "HELO" | "EHLO" | "MAIL" | "RCPT" | "STARTTLS" | "AUTH");
    match reason {
        Reason::UserUnknown => {
            if by_code == Some(Reason::Suspend) || command == "MAIL" {
                // Refused at MAIL FROM: whatever is unknown is the sender.
                false
            } else if coded {
                let other = [Reason::NoRelaying, Reason::Blocked, Reason::MailboxFull, Reason::HasMoved, Reason::Rejected, Reason::NotAccept, Reason::Filtered, Reason::Speeding];
                !other.iter().any(|&r| found.says(r))
            } else {
                // A missing domain named beside a missing address is the more precise ("Address
                // not found ... the domain example.org couldn't be found").
                (command == "RCPT" || cut_by_user) && found.says(reason) && !found.says(Reason::HostUnknown)
            }
        }
        Reason::Filtered => {
            // Coded, or refused after the envelope: an unknown user there is a filter too. A
            // spam verdict names why a content filter refused ("Message rejected as spam by
            // Content Filtering", Exchange's content filter agent's default reply).
            let after_envelope = coded || (command != "RCPT" && command != "MAIL");
            let unknown_after_envelope = after_envelope && !cut_by_user && found.says(Reason::UserUnknown) && !found.says(Reason::HostUnknown);
            by_code != Some(Reason::Suspend) && after_envelope && ((found.says(reason) && !found.says(Reason::SpamDetected)) || unknown_after_envelope)
        }
        Reason::Rejected => {
            coded
                || match command {
                    // Refused at MAIL FROM: a missing address or domain is the sender's.
                    "MAIL" => found.says(reason) || found.says(Reason::UserUnknown) || found.says(Reason::HostUnknown) || matches!(raw_code, Some(Reason::UserUnknown | Reason::HostUnknown)),
                    "DATA" => by_code != Some(Reason::UserUnknown) && found.says(reason),
                    // Refused before any sender was named: the connecting host is refused.
                    "CONN" | "HELO" | "EHLO" => false,
                    _ => by_code.is_none() && found.says(reason),
                }
        }
        Reason::HostUnknown => {
            // A DNS error is a network problem, unless its answer is NXDOMAIN: the name does not
            // exist (RFC 1035 §4.1.1 RCODE 3 "Name Error", RFC 8020).
            let network = found.says(Reason::NetworkError) && !found.words.windows(8).any(|w| w == b"nxdomain");
            if coded {
                !network
            } else {
                // A temporary DNS failure is a network problem, not a missing domain.
                !temporary && found.says(reason) && !network
            }
        }
        Reason::SpamDetected => coded || (!before_data && found.says(reason)),
        Reason::MesgTooBig => by_code != Some(Reason::ExceedLimit) && (coded || found.says(reason)),
        // `4.2.1` also answers a recipient receiving too fast (Gmail): the words tell which.
        Reason::Suspend => (coded && !found.says(Reason::Speeding)) || found.says(reason),
        _ => coded || found.says(reason),
    }
}

/// The private `x.0.9xx` codes some tools write: they carry no meaning here.
fn is_pseudo_status(status: &str) -> bool {
    let bytes = status.as_bytes();
    bytes.len() == 7 && &status[1..4] == ".0." && bytes[4] == b'9'
}

/// Whether a table's code (`5.4.1`, or `x.4.1` for either class) is this status.
fn code_matches(code: &str, status: &str) -> bool {
    code == status || (code.starts_with('x') && status.get(1..) == code.get(1..))
}

/// The reason an enhanced status code implies by itself, if any.
pub fn by_status(status: &str) -> Option<Reason> {
    STATUS_REASON
        .iter()
        .find(|(code, _)| *code == status)
        .or_else(|| STATUS_REASON.iter().find(|(code, _)| code_matches(code, status)))
        .map(|&(_, reason)| reason)
}

/// Whether resending to this address can never work: the mailbox or domain does not exist, has
/// moved, or the domain accepts no mail at all (a permanent `notaccept`).
pub fn is_hard_bounce(reason: Reason, status: Option<&str>, reply_code: Option<&str>) -> bool {
    match reason {
        Reason::UserUnknown | Reason::HostUnknown | Reason::HasMoved => true,
        Reason::NotAccept => !status.or(reply_code).is_some_and(|s| s.starts_with('4')),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_compiles() {
        for index in 0..all_rows().count() {
            row(index);
        }
    }

    #[test]
    fn phrases_decide_with_evidence_spans_in_the_original_text() {
        let text = "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown";
        let decision = decide(&Facts { diagnostic: text, status: Some("5.1.1"), command: Some("RCPT"), ..Facts::default() });
        assert_eq!(decision.reason, Reason::UserUnknown);
        let evidence = decision.evidence.unwrap();
        assert_eq!(evidence.rule, "userunknown/phrase");
        assert!(text[evidence.start..evidence.end].to_ascii_lowercase().contains("user unknown") || text[evidence.start..evidence.end].contains("rejected"));
    }

    #[test]
    fn unknown_user_after_data_is_a_filter() {
        let text = "550 5.1.1 User unknown";
        let decision = decide(&Facts { diagnostic: text, status: Some("5.2.1"), command: Some("DATA"), ..Facts::default() });
        assert_eq!(decision.reason, Reason::Filtered);
    }

    #[test]
    fn the_reporting_mtas_remark_names_the_failure_beside_a_vague_reply() {
        let reply = "554 delivery error: the message could not be accepted";
        let facts = Facts { diagnostic: reply, status: Some("5.0.0"), remark: Some("bad-mailbox"), ..Facts::default() };
        assert_eq!(decide(&facts).reason, Reason::UserUnknown);
        let disabled = Facts { diagnostic: "550 5.2.1 User Unknown", status: Some("5.2.1"), remark: Some("mailbox disabled, not accepting messages"), ..Facts::default() };
        assert_eq!(decide(&disabled).reason, Reason::Suspend);
        // RFC 3464's own example: a delay whose status comment names a DNS failure.
        let lookup = Facts { status: Some("4.0.0"), action: Some(Action::Delayed), remark: Some("cat.example.net: host name lookup failure"), ..Facts::default() };
        assert_eq!(decide(&lookup).reason, Reason::NetworkError);
        // A remark that names nothing leaves the decision to the reply.
        let plain = Facts { remark: Some("permanent failure"), ..disabled };
        assert_eq!(decide(&plain).reason, decide(&Facts { remark: None, ..disabled }).reason);
    }

    #[test]
    fn a_malformed_mx_answer_is_a_null_mx() {
        let text = "Name service error for name=example.org type=MX: Malformed or unexpected name server reply";
        assert_eq!(classify(text, Some("5.4.4")).reason, Reason::NotAccept);
        assert!(is_hard_bounce(Reason::NotAccept, Some("5.4.4"), None));
        // Any other malformed answer is a DNS failure on the way.
        assert_eq!(classify("Name service error for name=mx.example.org type=A: Malformed or unexpected name server reply", Some("5.4.4")).reason, Reason::NetworkError);
    }

    #[test]
    fn an_unknown_user_named_after_acceptance_is_a_filter() {
        let text = "This user doesn't have an example.com account";
        assert_eq!(decide(&Facts { diagnostic: text, ..Facts::default() }).reason, Reason::UserUnknown);
        assert_eq!(decide(&Facts { diagnostic: text, after_acceptance: true, ..Facts::default() }).reason, Reason::Filtered);
    }

    #[test]
    fn japanese_wordings_count_their_characters_as_three_bytes() {
        assert_eq!(classify("宛先のメールアドレスが見つかりませんでした。", None).reason, Reason::UserUnknown);
        assert_eq!(classify("送信元IPアドレスがブラックリストに登録されているため、受信を拒否しました。", None).reason, Reason::Blocked);
        assert_eq!(classify("お使いのメールボックスは現在ディスクの容量が不足しています", None).reason, Reason::MailboxFull);
    }

    #[test]
    fn provider_wordings_for_a_refused_ip_and_a_recipients_own_block() {
        assert_eq!(classify("550 5.7.1 [203.0.113.9] Connection refused - IB605", Some("5.7.1")).reason, Reason::Blocked);
        assert_eq!(classify("554 Connection refused: your IP address is not welcome here", None).reason, Reason::Blocked);
        assert_eq!(classify("550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550", None).reason, Reason::Filtered);
        assert_eq!(classify("450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages", Some("4.2.1")).reason, Reason::Speeding);
        assert_eq!(classify("550 5.7.520 Access denied, Your organization does not allow external forwarding.", Some("5.7.520")).reason, Reason::PolicyViolation);
    }

    #[test]
    fn gateway_and_router_wordings_name_their_cause() {
        let at = |text: &str, command: &str| decide(&Facts { diagnostic: text, status: Some("5.0.0"), command: Some(command), ..Facts::default() }).reason;
        // Mimecast: the recipient's own blocked-senders entry, even at RCPT; a policy refusal.
        assert_eq!(at("550 Envelope blocked \u{2013} User Entry - see the help page [AbC.eu1]", "RCPT"), Reason::Filtered);
        assert_eq!(at("554 Email rejected due to security policies - see the help page", "DATA"), Reason::PolicyViolation);
        // Barracuda's per-recipient result after DATA.
        assert_eq!(at("550 permanent failure for one or more recipients (a@b.example:blocked, c@b.example:blocked)", "DATA"), Reason::Filtered);
        // Exim's dnslookup router: no MX target exists.
        assert_eq!(classify("all relevant MX records point to non-existent hosts", None).reason, Reason::HostUnknown);
    }

    #[test]
    fn a_refused_tcp_connect_is_not_a_block() {
        // The bracketed IP is the receiver's (Exim's "host NAME [IP]"), the words the OS's.
        for words in ["host mx.far.example [192.0.2.7] Connection refused", "Deferred: Connection refused by mx.far.example.", "connect to mx.far.example[192.0.2.7]:25: Connection refused"] {
            assert_ne!(classify(words, None).reason, Reason::Blocked, "{words}");
            assert_ne!(classify(words, Some("4.4.1")).reason, Reason::Blocked, "{words}");
        }
    }

    #[test]
    fn exchange_onlines_edge_block_is_a_missing_address() {
        let text = "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DM6.prod.protection.outlook.com]";
        assert_eq!(classify(text, Some("5.4.1")).reason, Reason::UserUnknown);
    }

    #[test]
    fn blocklist_wins_over_other_words() {
        let text = "450 4.7.1 Client host [203.0.113.5] blocked using Trend Micro Network Anti-Spam Service";
        assert_eq!(classify(text, None).reason, Reason::Blocked);
    }

    #[test]
    fn status_code_is_the_fallback() {
        assert_eq!(classify("", Some("5.2.2")).reason, Reason::MailboxFull);
        assert_eq!(classify("something else", Some("4.4.7")).reason, Reason::Expired);
        assert_eq!(classify("", None).reason, Reason::Undefined);
        assert_eq!(classify("words nobody knows", None).reason, Reason::OnHold);
        assert_eq!(by_status("9"), None);
        assert_eq!(classify("", Some("2.0.0")).reason, Reason::Delivered);
    }

    #[test]
    fn delayed_without_words_expires() {
        let decision = decide(&Facts { action: Some(Action::Delayed), ..Facts::default() });
        assert_eq!(decision.reason, Reason::Expired);
    }

    #[test]
    fn hard_bounces_are_only_missing_addresses() {
        assert!(is_hard_bounce(Reason::UserUnknown, Some("4.1.1"), None));
        assert!(is_hard_bounce(Reason::NotAccept, Some("5.1.10"), None));
        assert!(!is_hard_bounce(Reason::NotAccept, Some("4.3.2"), None));
        assert!(!is_hard_bounce(Reason::Blocked, Some("5.7.1"), None));
    }

    fn reason(text: &str, status: Option<&str>, command: Option<&str>) -> Reason {
        decide(&Facts { diagnostic: text, status, command, ..Facts::default() }).reason
    }

    #[test]
    fn a_missing_mailbox_stays_a_missing_mailbox() {
        // A directory's own notice, with its addressing code.
        let directory = "User mika (mika@corp.example) not listed in public Name & Address Book";
        assert_eq!(reason(directory, Some("5.1.1"), None), Reason::UserUnknown);
        // Exchange Online's directory-based edge block, whichever command it answered.
        let edge = "550 5.4.1 [mika@corp.example]: Recipient address rejected: Access denied [BN1.prod.example]";
        assert_eq!(reason(edge, Some("5.4.1"), None), Reason::UserUnknown);
        assert_eq!(reason(edge, Some("5.4.1"), Some("DATA")), Reason::UserUnknown);
        // The code may stand apart from the words (a DSN's Status field).
        assert_eq!(reason("[mika@corp.example]: Recipient address rejected: Access denied", Some("5.4.1"), None), Reason::UserUnknown);
        // Without Microsoft's code the same words are an access table's refusal, not a mailbox.
        assert_ne!(reason("554 5.7.1 <mika@corp.example>: Recipient address rejected: Access denied", Some("5.7.1"), Some("RCPT")), Reason::UserUnknown);
        // A carrier's heading names no cause; the reply under it does.
        let heading = "Each of the following recipients was rejected by a remote mail server.";
        assert_eq!(reason(heading, None, None), Reason::Filtered);
        assert_eq!(reason(&format!("{heading} 550 <mika@carrier.example>: User unknown"), None, Some("RCPT")), Reason::UserUnknown);
        assert_eq!(reason("554 5.7.1 <mika@lv.example>: Recipient address rejected: Nonexistent user", Some("5.7.1"), Some("RCPT")), Reason::UserUnknown);
    }

    #[test]
    fn the_words_overrule_a_code_that_says_something_else() {
        assert_eq!(reason("550 sorry, no mailbox here by that name. (#5.7.17)", Some("5.7.17"), Some("RCPT")), Reason::UserUnknown);
        assert_eq!(reason("554 5.6.0 Message classified as spam by the content scanner", Some("5.6.0"), Some("DATA")), Reason::SpamDetected);
        assert_eq!(reason("552 5.7.1 Maximum message size exceeded for this server", Some("5.7.1"), Some("DATA")), Reason::MesgTooBig);
        assert_eq!(reason("552 5.1.1 max message size of 10240000 bytes reached", Some("5.1.1"), None), Reason::MesgTooBig);
        assert_eq!(reason("553 5.3.0 <mika@corp.example>... Unknown E-Mail Address", Some("5.3.0"), Some("RCPT")), Reason::UserUnknown);
        assert_eq!(reason("550 5.1.10 Recipient not found by SMTP address lookup", Some("5.1.10"), Some("RCPT")), Reason::UserUnknown);
        assert_eq!(reason("556 5.1.10 Recipient address example.org has null MX", Some("5.1.10"), Some("RCPT")), Reason::NotAccept);
        // Gmail's own notice when the receiving host hung up.
        assert_eq!(reason("Connection was dropped by remote host (SENT_HELO)", None, None), Reason::NetworkError);
    }

    #[test]
    fn a_code_keeps_its_reason_beside_words_of_its_kin() {
        assert_eq!(reason("551 not our customer", Some("5.1.6"), Some("DATA")), Reason::HasMoved);
        assert_eq!(reason("552 5.2.3 Message length exceeds administrative limit", Some("5.2.3"), Some("RCPT")), Reason::ExceedLimit);
        assert_eq!(reason("551 5.7.1 <mika@corp.example>: Recipient address rejected: Delivery not authorized", Some("5.7.1"), Some("RCPT")), Reason::SecurityError);
        // Refused at MAIL FROM: the missing domain is the sender's.
        assert_eq!(reason("553 5.1.0 sender.example does not exist", Some("5.1.0"), Some("MAIL")), Reason::Rejected);
    }

    #[test]
    fn a_word_counts_only_as_what_it_is() {
        // "listed in public ..." is no list whose name ends in -bl.
        assert_ne!(classify("User mika not listed in public directory", None).reason, Reason::Blocked);
        assert_eq!(classify("Client rejected: listed in relays.example-rbl", None).reason, Reason::Blocked);
    }

    #[test]
    fn wordings_from_providers_documentation_and_other_languages() {
        let cases: &[(&str, Option<&str>, Reason)] = &[
            ("550 Benutzer nicht bekannt", None, Reason::UserUnknown),
            ("550 User has exhausted allowed storage space", None, Reason::MailboxFull),
            ("550 Benutzer hat das Speichervolumen überschritten", None, Reason::MailboxFull),
            ("mika@corp.example is a deactivated mailbox", None, Reason::Suspend),
            ("La casilla ha expirado por falta de uso.", None, Reason::Suspend),
            ("552 message size 31457280 exceeds size limit 20971520 of server", None, Reason::MesgTooBig),
            ("Messages without To: fields are not accepted here", None, Reason::NotCompliantRfc),
            ("550 5.1.1 No mail box available for this user", Some("5.1.1"), Reason::UserUnknown),
            ("550 5.1.1 Account not found", Some("5.1.1"), Reason::UserUnknown),
            ("550 5.7.1 Recipient doesn't want your mail", Some("5.7.1"), Reason::Filtered),
            // The recipient's own list, not a blocklist of the sending IP.
            ("550 User in blacklist", None, Reason::Filtered),
            ("550 该用户不存在", None, Reason::UserUnknown),
            ("552 收件人空间不足", None, Reason::MailboxFull),
            ("552 Quota exceed the hard limit for user", None, Reason::MailboxFull),
            ("552 Error: exceeded mailsize limit", None, Reason::MesgTooBig),
            ("550 Konto niedostępne", None, Reason::UserUnknown),
            ("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", Some("5.7.1"), Reason::NoRelaying),
            // Harmful content, not a security setting of the sender's, whatever the x.7 code says.
            ("552 5.7.0 This message was blocked because its content presents a potential security issue. Please visit https://support.google.com/mail/?p=BlockedMessage - gsmtp", Some("5.7.0"), Reason::VirusDetected),
            // A group refusing a non-member: the group's policy.
            ("550 5.7.1 You don't have permission to post to this group. Join the group or contact the group owner.", Some("5.7.1"), Reason::PolicyViolation),
            ("550 5.7.1 You do not have permissions to send to this distribution list", Some("5.7.1"), Reason::PolicyViolation),
            ("Event: dropped Reason: Bounced Address", None, Reason::Suppressed),
            ("The following recipients were unknown: mika@corp.example", None, Reason::UserUnknown),
        ];
        for &(text, status, want) in cases {
            assert_eq!(classify(text, status).reason, want, "{text}");
        }
        // A plain 5.7.0 that names no content stays what its words say.
        assert_eq!(classify("550 5.7.0 Must issue a STARTTLS command first", Some("5.7.0")).reason, Reason::FailedStartTls);
        // "dropped" for another cause is no suppression.
        assert_ne!(classify("Event: dropped Reason: Invalid SMTPAPI header", None).reason, Reason::Suppressed);
        // A help link's path is not the server's words.
        assert_ne!(classify("550 5.7.1 Message refused, see https://help.example.net/ptr-records.html", Some("5.7.1")).reason, Reason::RequirePtr);
    }

    #[test]
    fn common_causes_in_the_languages_bounces_come_in() {
        use Reason::*;
        // Short replies of our own, each built from a documented wording (see the rows' sources).
        let cases: &[(&str, Reason)] = &[
            ("552 5.2.2 Speicherplatz des Kontos überschritten", MailboxFull),
            ("452 Das Postfach des Empfängers ist voll.", MailboxFull),
            ("550 Empfänger unbekannt", UserUnknown),
            ("550 Die Adresse existiert nicht", UserUnknown),
            ("552 Die E-Mail ist zu groß", MesgTooBig),
            ("550 Das Postfach wurde deaktiviert", Suspend),
            ("550 Die Domain existiert nicht", HostUnknown),
            ("452 A caixa de entrada do destinatário está sem espaço de armazenamento", MailboxFull),
            ("552 Caixa postal cheia", MailboxFull),
            ("550 Usuário desconhecido", UserUnknown),
            ("552 Buzón lleno", MailboxFull),
            ("550 La cuenta de correo no existe", UserUnknown),
            ("552 La casella di posta del destinatario è piena", MailboxFull),
            ("550 L'indirizzo di posta non esiste", UserUnknown),
            ("552 Boîte du destinataire pleine", MailboxFull),
            ("550 Boîte du destinataire archivée", Suspend),
            ("550 Utilisateur inconnu", UserUnknown),
            ("552 Skrzynka odbiorcy jest przepełniona", MailboxFull),
            ("550 Konto zostało zawieszone", Suspend),
            ("550 Konto nie istnieje", UserUnknown),
            ("552 Почтовый ящик получателя переполнен", MailboxFull),
            ("552 Ящик переполнен", MailboxFull),
            ("550 收件人不存在", UserUnknown),
            ("552 邮件大小超过限制", MesgTooBig),
            ("550 域名不存在", HostUnknown),
            ("554 邮件被识别为垃圾邮件", SpamDetected),
            ("552 邮件被反垃圾邮件引擎拒绝", SpamDetected),
            ("553 拒绝中继", NoRelaying),
            ("550 邮箱被锁", Suspend),
            ("550 Użytkownik o podanym adresie nie istnieje", UserUnknown),
            ("550 Nie ma takiego odbiorcy", UserUnknown),
            ("550 Nie ma takiej domeny", HostUnknown),
            ("550 Nieaktywna skrzynka pocztowa", Suspend),
            ("552 Wiadomość zbyt długa", MesgTooBig),
            ("552 Przekroczona powierzchnia skrzynki odbiorczej", MailboxFull),
        ];
        for &(text, want) in cases {
            assert_eq!(classify(text, None).reason, want, "{text}");
        }
        // Words that only look alike: "vollständig" is not "voll", a user's account page is no refusal.
        assert_ne!(classify("550 Ihr Postfach vollständig eingerichtet", None).reason, MailboxFull);
    }

    #[test]
    fn words_naming_the_cause_win_over_a_vaguer_code_or_word() {
        let cases: &[(&str, Option<&str>, Reason)] = &[
            ("550 5.7.9 This mail has been blocked because the sender is unauthenticated. We require all senders to authenticate with either SPF or DKIM.", Some("5.7.9"), Reason::AuthFailure),
            ("550 5.1.1 The relay did not send the message to this address because it is on the suppression list for your account.", Some("5.1.1"), Reason::Suppressed),
            ("530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.", Some("5.7.57"), Reason::SecurityError),
            ("550 5.7.1 Message rejected as spam by Content Filtering.", Some("5.7.1"), Reason::SpamDetected),
            ("554 DT:SPM mx7,AbCd.1 1700000000, please see the help page", None, Reason::SpamDetected),
            ("550 5.7.1 Message rejected by policy: attachments of type .scr are not allowed", Some("5.7.1"), Reason::VirusDetected),
            ("550 5.7.1 Refused: possible virus or spam content - Virus found: Eicar-Signature", Some("5.7.1"), Reason::VirusDetected),
            ("550 5.2.1 <mika@isp.example>: Recipient address rejected: このアカウントは現在利用停止中です", Some("5.2.1"), Reason::Suspend),
            // RFC 3463 X.2.1 "mailbox disabled, not accepting messages".
            ("550 5.2.1 account unavailable", Some("5.2.1"), Reason::Suspend),
            // RFC 3463 X.3.2: a transient one is the host's load or maintenance, not a null MX.
            ("421 4.3.2 System not accepting network messages. Try again later.", Some("4.3.2"), Reason::SystemError),
            ("", Some("5.3.2"), Reason::NotAccept),
            ("451 4.3.0 Temporary system failure. Please try again later.", Some("4.3.0"), Reason::SystemError),
        ];
        for &(text, status, want) in cases {
            assert_eq!(classify(text, status).reason, want, "{text}");
        }
    }

    #[test]
    fn a_missing_domain_is_named_before_a_missing_address() {
        let gmail = "Address not found. Your message wasn't delivered to mika@typo.example because the domain typo.example couldn't be found. DNS Error: DNS type 'mx' lookup of typo.example responded with code NXDOMAIN Domain name not found: typo.example";
        assert_eq!(classify(gmail, None).reason, Reason::HostUnknown);
        // The same answer under a transient code is the sender's DNS trouble.
        assert_eq!(classify(gmail, Some("4.0.0")).reason, Reason::NetworkError);
        assert_eq!(classify("Dominio no encontrado. El dominio del destinatario no existe.", None).reason, Reason::HostUnknown);
        // A DNS failure that names no NXDOMAIN stays a network problem.
        assert_eq!(classify("DNS Error: lookup of typo.example timed out; domain not found", None).reason, Reason::NetworkError);
    }

    #[test]
    fn a_delay_carries_the_cause_it_names() {
        let delayed = |text, status| decide(&Facts { diagnostic: text, status, action: Some(Action::Delayed), ..Facts::default() }).reason;
        assert_eq!(delayed("450 4.2.0 <mika@corp.example>: Recipient address rejected: Greylisted, see http://greylist.example/help", Some("4.2.0")), Reason::PolicyViolation);
        let tls = "450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch SubjectMismatch Cert subject of 'mx.corp.example' does not match the certificate.]";
        assert_eq!(delayed(tls, Some("4.4.317")), Reason::FailedStartTls);
        // Exchange Online's 4.4.31x are causes while it retries, 5.4.31x its giving up on them.
        assert_eq!(delayed("451 4.4.316 Connection refused", Some("4.4.316")), Reason::NetworkError);
        assert_eq!(classify("550 5.4.316 Message expired, connection refused", Some("5.4.316")).reason, Reason::Expired);
        // Without words, a delay is only known to wait.
        assert_eq!(delayed("400 4.4.7 Message delayed", Some("4.4.7")), Reason::Expired);
    }

    #[test]
    fn a_pasted_reply_without_its_command_is_not_read_as_after_data() {
        let reply = Facts { diagnostic: "550 Mailbox not found.", reply_code: Some("550"), ..Facts::default() };
        assert_eq!(decide(&Facts { pasted: true, ..reply }).reason, Reason::UserUnknown);
        // A whole notice that leaves the command out keeps the reference corpus' convention.
        assert_eq!(decide(&reply).reason, Reason::Filtered);
        // A pasted filter's words are still a filter.
        assert_eq!(decide(&Facts { diagnostic: "550 Message filtered by the recipient's rules", pasted: true, ..reply }).reason, Reason::Filtered);
    }

    #[test]
    fn deferred_for_complaints_is_the_ips_reputation() {
        let text = "421 4.7.0 [TSS04] Messages from 203.0.113.8 temporarily deferred due to unexpected volume or user complaints";
        assert_eq!(reason(text, Some("4.7.0"), Some("MAIL")), Reason::BadReputation);
        assert_eq!(reason(text, Some("4.7.0"), Some("RCPT")), Reason::BadReputation);
    }

    #[test]
    fn a_list_named_in_the_help_text_does_not_outweigh_a_missing_mailbox() {
        // A multi-line reply: the refusal first, then advice that mentions a blocklist.
        let text = "550-5.1.1 <rin@shop.example>: Recipient address rejected: User unknown in local recipient table 550-5.1.1 If you think this is wrong, make sure you are not listed on bl.spamcop.net and have reverse DNS 550 5.1.1 Ask postmaster@shop.example";
        let facts = Facts { diagnostic: text, status: Some("5.1.1"), reply_code: Some("550"), command: Some("RCPT"), ..Facts::default() };
        let decision = decide(&facts);
        assert_eq!(decision.reason, Reason::UserUnknown);
        assert!(decision.evidence.is_some_and(|e| e.end <= text.find("If you think").unwrap()));
        // The same help text after a refusal that names the list itself keeps the list.
        let listed = "554 5.7.1 Client host [192.0.2.7] blocked using bl.spamcop.net. For more information see https://www.spamcop.net/bl.shtml";
        assert_eq!(classify(listed, Some("5.7.1")).reason, Reason::Blocked);
        // Words that disagree with the code do not cut the help text away.
        let tagged = "550 5.1.0 <x@a.example> sender rejected. See the error codes page for more information. AUP#MXRBL";
        assert_eq!(classify(tagged, Some("5.1.0")).reason, Reason::Blocked);
    }

    #[test]
    fn a_give_up_for_time_decides_over_a_network_code_but_not_over_named_words() {
        let gave_up = |text, status| decide(&Facts { diagnostic: text, status: Some(status), action: Some(Action::Failed), gave_up_for_time: true, ..Facts::default() }).reason;
        assert_eq!(gave_up("421 4.4.2 mx.far.example Error: session ended early", "4.4.2"), Reason::Expired);
        assert_eq!(gave_up("", "4.4.7"), Reason::Expired);
        // The last attempt's words name a cause: it stays.
        assert_eq!(gave_up("452 4.2.2 Mailbox full, try again later", "4.2.2"), Reason::MailboxFull);
        assert_eq!(gave_up("Name server: far.example.: host name lookup failure", "4.4.7"), Reason::NetworkError);
        // Without the give-up the code decides, as before.
        assert_eq!(classify("421 4.4.2 mx.far.example Error: session ended early", Some("4.4.2")).reason, Reason::NetworkError);
    }

    #[test]
    fn japanese_words_that_an_address_or_account_does_not_exist_are_a_missing_mailbox() {
        assert_eq!(classify("送信先のメール アカウントは存在しません。", None).reason, Reason::UserUnknown);
        assert_eq!(classify("お送りいただいたメールアドレス <mio@tokyo.example> は存在しません。", None).reason, Reason::UserUnknown);
        assert_eq!(classify("受信者のメールボックスが存在しません", None).reason, Reason::UserUnknown);
        // 存在しません about something other than the address is no missing mailbox.
        assert_ne!(classify("指定された配送先フォルダは存在しません", None).reason, Reason::UserUnknown);
    }
}
