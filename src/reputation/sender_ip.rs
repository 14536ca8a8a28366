//! The sender's listed IP, and only that. A bounce holds other addresses: the receiver's MX
//! (`host mx[IP] said:`, `Remote-MTA`), which is never the sender's, and the hops the mail passed
//! (`received ... from host [IP]`, `Received-From-MTA`, `X-Originating-IP`, the returned message's
//! `Received:` lines, which start at the user's PC). Both are collected from the whole message as
//! decoys. The receiver's addresses are never reported. A hop is skipped only where the reply
//! holds a bare address: when the server's own words name the IP as the client's (`Client host
//! [IP]`, `banned sending IP [IP]`, a list's URL), they decide, because the sending server's IP
//! is itself a hop of the returned message (Microsoft 365 always writes `Received: from <sender>
//! (IP) by ...protection.outlook.com`; Postfix's `Client host [IP]` names the connecting client,
//! postconf(5) smtpd_client_restrictions).

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::message::Mail;
use crate::pattern;

/// An IPv4 or IPv6 literal (validated by parsing), with an optional `IPv6:` tag.
macro_rules! ip {
    () => {
        r"(?:ipv6:)?([0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7})"
    };
}

/// The text of a status field's value up to an address in it (`dns; mx.example (IP, ...)`,
/// `DNS; [IP]`, `dns;mx (TCP|IP|port|IP|25)`): never past the next `Name: ` label, which starts
/// another field when a paste reflowed the report onto one line (RFC 3464 §2.3.5: the value is
/// an mta-name-type and an mta-name, and never holds a colon and a space).
macro_rules! field_value {
    () => {
        r"(?:[^\n:]|:[^\s])*?"
    };
}

/// Where a reply states the sender's IP, most explicit first.
static SENDER_SHAPES: &[&str] = &[
    concat!(r"client host \[?", ip!()),
    concat!(r"\bclient \[", ip!()),
    concat!(r"<[a-z0-9.-]*\[", ip!(), r"\]>: client host"),
    concat!(r"banned send(?:ing ip|er)\s*\[?", ip!()),
    concat!(r"the mail server \[?", ip!()),
    concat!(r"(?:your|sending|sender|source|connecting|remote|listed) ip(?: address)?(?: is)?:? \[?", ip!()),
    concat!(r"(?:mail|messages?|connections?|e-?mails?|traffic) from \[?", ip!()),
    concat!(r"<\s*", ip!(), r"\s*>_is_blocked"),
    concat!(r"\[", ip!(), r"\s+[0-9]+\]"),
    concat!(r"\bip(?: address)?[:=]? ?\[?", ip!()),
    // The IP a reputation verdict names in its own parentheses: "550 Message rejected due to
    // sender IP reputation ([IP])" (BT Business's help answer 15074 on 550 errors; Broadcom's KB
    // 161393 lists it among recipients' replies). Held to the word right before it, as a bare
    // `([IP])` is a `Received:` hop's.
    concat!(r"\breputation \(\[?", ip!()),
    concat!(r"\bfor (?:this |the )?(?:ip )?\[?", ip!()),
    concat!(r"\b", ip!(), r"\]?(?::[0-9]+)? (?:is|was|has been|are) (?:currently )?(?:listed|blocked|black ?listed|block ?listed|banned|in )"),
    // Comcast's DNSBL refusals: "554 <host> comcast <IP> found on one or more DNSBLs, see
    // ...#BL000001" (Comcast's postmaster error-code page: BL000001 Spamhaus ZEN, BL000010
    // Cloudmark CSI; the wording seen in a 2010 telnet transcript to mx1.comcast.net and named in
    // EFForg/starttls-backend issue 83). The IP is the connecting client's.
    concat!(r"\b", ip!(), r"\]? found (?:on|in) "),
];

/// Where a list's URL carries the IP.
static URL_SHAPES: &[&str] = &[
    concat!(r"(?:ip_address|[?&]ip|[?&]q|query|ipr|value|search|searchterm)=\[?", ip!()),
    concat!(r"(?:lookup|bl\.shtml|lookup\.shtml|lookup\.cgi|lookup\.php)\?", ip!()),
    concat!(r"/query/ip/", ip!()),
];

/// Shapes of the hops the mail passed: the sender's IP only where the reply names it so.
static HOP_SHAPES: &[&str] = &[
    concat!(r"received-from-mta:", field_value!(), ip!()),
    concat!(r"x-originating-ip:\s*\[?", ip!()),
    // "The original message was received at DATE from host [IP]", "received from host [IP]".
    concat!(r"received\b[^\n]{0,120}?\bfrom\b[^\n]{0,80}?\[", ip!()),
];

/// Shapes of the receiver's addresses, which are never the sender's listed IP.
static RECEIVER_SHAPES: &[&str] = &[
    concat!(r"remote-mta:", field_value!(), ip!()),
    // Postfix `host mx.example[IP] said:`, Exim `host mx.example [IP]`; `client host` is the sender.
    // Pasted text may be reflowed with a line break after `host`.
    concat!(r"(^|[^t]\s)host\s+[a-z0-9-]+(?:\.[a-z0-9-]+)+\s?\[", ip!()),
    concat!(r"\b", ip!(), r" does not like recipient"),
    concat!(r"giving up on ", ip!()),
    concat!(r"connected to ", ip!()),
    // Postfix `connect to mx.example[IP]:25`, Exchange `Remote Server at mx.example (IP) returned`,
    // Exim logs `H=mx.example [IP]`.
    concat!(r"connect to [a-z0-9.-]*\[", ip!()),
    concat!(r"remote server at [a-z0-9.-]+ \(", ip!()),
    concat!(r"\bh=[a-z0-9.-]+ \[", ip!()),
    concat!(r"remote host ", ip!()),
    // Japanese notices label the receiver: `相手先サーバ: mx.example.com (IP)`.
    concat!(r"(?:相手先|相手|受信側)サーバー?\s*(?::|：)[^\n]{0,80}?", ip!()),
];

struct Compiled {
    sender: Vec<Regex>,
    url: Vec<Regex>,
    hop: Vec<Regex>,
    receiver: Vec<Regex>,
    any: Regex,
    received: Regex,
}

/// The shapes, compiled ahead of a first message (see [`crate::prepare`]).
pub fn prepare() {
    compiled();
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| Compiled {
        sender: SENDER_SHAPES.iter().map(|p| pattern::compile(p)).collect(),
        url: URL_SHAPES.iter().map(|p| pattern::compile(p)).collect(),
        hop: HOP_SHAPES.iter().map(|p| pattern::compile(p)).collect(),
        receiver: RECEIVER_SHAPES.iter().map(|p| pattern::compile(p)).collect(),
        any: pattern::compile(concat!(r"\b", ip!())),
        received: pattern::compile(r"(?m)^received:"),
    })
}

fn parse_ip(bytes: &[u8]) -> Option<IpAddr> {
    let ip: IpAddr = pattern::as_text(bytes).parse().ok()?;
    (!ip.is_unspecified()).then_some(ip)
}

/// The addresses of a message other than the sender's listed IP: the receiver's, and the hops'.
#[derive(Debug, Default, Clone)]
pub struct Decoys {
    receiver: HashSet<IpAddr>,
    hops: HashSet<IpAddr>,
}

impl Decoys {
    /// Collects the decoys of a whole message: headers, notice, status parts, returned headers.
    pub fn of(mail: &Mail) -> Decoys {
        let mut decoys = Decoys::default();
        // The notice's own `Received:` fields are left out: the hop that handed the bounce to the
        // user's mailbox is often the sending server itself, whose IP is the listed one.
        for (name, value) in mail.headers.iter().filter(|(name, _)| name != "received") {
            decoys.scan(&format!("{name}: {value}"));
        }
        decoys.scan(&mail.body);
        for status in &mail.status {
            decoys.scan(status);
        }
        if let Some(returned) = &mail.returned_headers {
            decoys.scan(returned);
        }
        decoys
    }

    /// Adds the decoys of one text, including every address in the `from` part of its
    /// `Received:` fields (the hops before the sending server).
    pub fn scan(&mut self, text: &str) {
        let lower = text.to_ascii_lowercase();
        let table = compiled();
        let found = |shapes: &[Regex], set: &mut HashSet<IpAddr>| {
            for re in shapes {
                set.extend(re.captures_iter(lower.as_bytes()).filter_map(|caps| caps.iter().flatten().last().and_then(|m| parse_ip(m.as_bytes()))));
            }
        };
        found(&table.receiver, &mut self.receiver);
        found(&table.hop, &mut self.hops);
        for field in received_fields(&lower) {
            let from_part = field.split(" by ").next().unwrap_or("");
            self.hops.extend(table.any.captures_iter(from_part.as_bytes()).filter_map(|caps| parse_ip(&caps[1])));
        }
    }

    /// Adds the receiver's address when the delivery names it as an IP.
    pub fn add_text_ips(&mut self, text: &str) {
        self.receiver.extend(compiled().any.captures_iter(text.to_ascii_lowercase().as_bytes()).filter_map(|caps| parse_ip(&caps[1])));
    }

    /// Whether the address is the receiver's or a hop's.
    pub fn contains(&self, ip: &IpAddr) -> bool {
        self.receiver.contains(ip) || self.hops.contains(ip)
    }

    /// Whether the address is the receiver's.
    fn is_receivers(&self, ip: &IpAddr) -> bool {
        self.receiver.contains(ip)
    }
}

/// The unfolded `Received:` fields of a (lowercased) header block or inline copy.
pub fn received_fields(lower: &str) -> Vec<String> {
    let mut fields = Vec::new();
    for found in compiled().received.find_iter(lower.as_bytes()) {
        let rest = &lower[found.end()..];
        let mut field = String::new();
        for (n, line) in rest.split('\n').enumerate() {
            if n > 0 && !line.starts_with([' ', '\t']) {
                break;
            }
            field.push(' ');
            field.push_str(line.trim());
        }
        fields.push(field.trim().to_owned());
    }
    fields
}

/// The sender's IP in a server's reply: the explicit shapes first, then a list's URL, then any
/// other address the reply holds. The receiver's addresses are skipped wherever they appear; a
/// hop only where the reply holds it bare (the server's words name the client explicitly, and
/// the returned headers may show that client as a hop: they corroborate, never veto).
pub fn find(reply: &str, decoys: &Decoys) -> Option<String> {
    search(reply, decoys, true)
}

/// The sender's IP where the reply names it so (the explicit shapes and a list's URL), never a
/// bare address: for a verdict that names no list, a bare address is too weak a sign.
pub fn named(reply: &str, decoys: &Decoys) -> Option<String> {
    search(reply, decoys, false)
}

/// [`find`], and [`named`] when `bare` addresses are not taken.
fn search(reply: &str, decoys: &Decoys, take_bare: bool) -> Option<String> {
    let lower = reply.to_ascii_lowercase();
    let table = compiled();
    let usable = |re: &Regex, bare: bool| {
        re.captures_iter(lower.as_bytes())
            .filter_map(|caps| caps.iter().flatten().last())
            // A bare address after " - " is a receiver's trailing reference code (Yahoo's
            // "complaints - 4.16.55.1"), not an address.
            .filter(|m| !bare || !lower[..m.start()].ends_with(" - "))
            .filter_map(|m| parse_ip(m.as_bytes()))
            .find(|ip| if bare { !decoys.contains(ip) } else { !decoys.is_receivers(ip) })
    };
    table
        .sender
        .iter()
        .chain(&table.url)
        .find_map(|re| usable(re, false))
        .or_else(|| take_bare.then(|| usable(&table.any, true)).flatten())
        .map(|ip| ip.to_string())
}

/// The IP a list's URL carries, for replies that print a host name where the IP should be.
pub fn in_url(reply: &str) -> Option<String> {
    let lower = reply.to_ascii_lowercase();
    compiled().url.iter().find_map(|re| {
        re.captures_iter(lower.as_bytes()).find_map(|caps| caps.iter().flatten().last().and_then(|m| parse_ip(m.as_bytes())))
    }).map(|ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Decoys {
        Decoys::default()
    }

    #[test]
    fn shapes_of_the_reference() {
        let cases = [
            ("Client host [192.0.2.1] blocked", "192.0.2.1"),
            ("client [192.0.2.2] blocked using", "192.0.2.2"),
            ("Mail from 192.0.2.3 refused", "192.0.2.3"),
            ("Messages from 192.0.2.4 temporarily deferred", "192.0.2.4"),
            ("Access denied, banned sending IP [2001:db8::25].", "2001:db8::25"),
            ("The mail server [192.0.2.6] has been temporarily rate limited", "192.0.2.6"),
            ("550-5.7.1 [192.0.2.7      15] Our system", "192.0.2.7"),
            ("Your IP address 192.0.2.8 is blacklisted", "192.0.2.8"),
            ("DNSBL:RBL 521< 192.0.2.9 >_is_blocked", "192.0.2.9"),
            ("see http://www.mail-abuse.com/cgi-bin/lookup?192.0.2.10", "192.0.2.10"),
            ("see https://www.spamcop.net/bl.shtml?192.0.2.11", "192.0.2.11"),
            ("see https://www.spamhaus.org/query/ip/192.0.2.12", "192.0.2.12"),
            ("Connection rejected -- blocked using Trend Micro -- for this 192.0.2.13", "192.0.2.13"),
            ("554 IP=192.0.2.14 - A problem occurred. (BL)", "192.0.2.14"),
            ("550 Message rejected due to sender IP reputation ([192.0.2.15])", "192.0.2.15"),
            ("554 resimta-01.sys.b.example comcast 192.0.2.16 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000010", "192.0.2.16"),
        ];
        for (reply, want) in cases {
            assert_eq!(find(reply, &none()).as_deref(), Some(want), "{reply}");
        }
    }

    #[test]
    fn a_trailing_reference_code_is_no_address() {
        assert_eq!(find("421 4.7.0 [TSS04] Deferred due to user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/", &none()), None);
    }

    #[test]
    fn decoys_are_never_the_answer() {
        let mut decoys = Decoys::default();
        decoys.scan("Received: from [192.168.1.23] (unknown [203.0.113.200])\n\tby mail.example.co.jp (Postfix)\nRemote-MTA: dns; [198.51.100.25]\nX-Originating-IP: [198.51.100.9]\n");
        decoys.scan("<a@b.example>: host mx.b.example[198.51.100.26] said: 550 ...");
        decoys.scan("<c@b.example>: host\nmx2.b.example[198.51.100.30]\nsaid: 550 ...");
        decoys.scan("相手先サーバ: mx.partner.example.com (198.51.100.27)");
        decoys.scan("Remote Server at mx.partner.example.com (198.51.100.28) returned '550 5.7.1 ...'");
        decoys.scan("connect to mx.partner.example.com[198.51.100.29]:25: Connection refused");
        for ip in ["203.0.113.200", "192.168.1.23", "198.51.100.25", "198.51.100.9", "198.51.100.26", "198.51.100.27", "198.51.100.28", "198.51.100.29", "198.51.100.30"] {
            assert!(decoys.contains(&ip.parse().unwrap()), "{ip}");
        }
        // Bare, a hop or the receiver is skipped; named as the client, the receiver still is.
        assert_eq!(find("blocked; mx [198.51.100.25] refused 203.0.113.200", &decoys), None);
        assert_eq!(find("blocked; client [198.51.100.25] is listed", &decoys), None);
        assert_eq!(find("Client host [192.0.2.50] blocked", &decoys).as_deref(), Some("192.0.2.50"));
    }

    #[test]
    fn the_servers_words_name_the_client_even_when_it_is_a_hop() {
        // The sending server is itself a hop of the returned message: Microsoft 365 writes
        // `Received: from <sender> (IP) by ...protection.outlook.com` into every copy it returns,
        // and a Postfix server that relays for a PC records the PC as `from`. Where the reply
        // names the client (Postfix `Client host [IP]`, Microsoft's `banned sending IP [IP]`, a
        // list's URL), the headers corroborate and never veto; a bare hop stays skipped.
        let mut decoys = Decoys::default();
        decoys.scan("Received: from out.sender.example (192.0.2.71) by AM0EUR02FT001.mail.protection.outlook.com (10.0.0.5)\nFrom: a@sender.example\n");
        decoys.scan("Received: from [192.0.2.72] (pc.isp.example [192.0.2.72])\n\tby smtp.sender.example (Postfix)\n");
        assert_eq!(find("550 5.7.606 Access denied, banned sending IP [192.0.2.71]. To request removal", &decoys).as_deref(), Some("192.0.2.71"));
        assert_eq!(find("554 5.7.1 Service unavailable; Client host [192.0.2.72] blocked using zen.spamhaus.org", &decoys).as_deref(), Some("192.0.2.72"));
        assert_eq!(find("554 rejected, see https://www.spamcop.net/bl.shtml?192.0.2.72", &decoys).as_deref(), Some("192.0.2.72"));
        assert_eq!(find("554 5.7.1 rejected (192.0.2.72) by policy", &decoys), None);
        assert!(!decoys.contains(&"10.0.0.5".parse().unwrap()), "the `by` host is the receiver's side of the hop");
    }

    #[test]
    fn a_status_field_holds_only_its_own_value() {
        // A report reflowed onto one line: `Remote-MTA:` and `Received-From-MTA:` end where the
        // next field's label starts, so the client the reply names is no receiver or hop.
        let mut decoys = Decoys::default();
        let reflowed = "Received-From-MTA: dns; a.example Arrival-Date: Tue, 24 Nov 2026 09:30:11 +0900 Final-Recipient: rfc822; neko@b.example Action: failed Status: 5.7.1 Remote-MTA: dns; mx.b.example Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host [192.0.2.17] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.17";
        decoys.scan(reflowed);
        assert!(!decoys.contains(&"192.0.2.17".parse().unwrap()));
        assert_eq!(find(reflowed, &decoys).as_deref(), Some("192.0.2.17"));
        // The fields' own addresses, in the shapes mail systems write them, stay decoys.
        decoys.scan("Remote-MTA: dns; mx.b.example (198.51.100.31, the server for the domain b.example.)\nRemote-MTA: dns;mx.c.example (TCP|198.51.100.32|48044|198.51.100.33|25)\nReceived-From-MTA: smtp; relay.a.example ([198.51.100.34])\nRemote-MTA: dns; [2001:db8::35]\n");
        for ip in ["198.51.100.31", "198.51.100.32", "198.51.100.34", "2001:db8::35"] {
            assert!(decoys.contains(&ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn a_listing_that_names_the_client_beats_the_returned_hops() {
        // Comcast names the client bare before "found on one or more DNSBLs"; the returned
        // message's `Received:` line shows the same server as a hop, which must not veto it.
        let mut decoys = Decoys::default();
        decoys.scan("Received: from out.a.example (out.a.example [192.0.2.18])\n\tby out.a.example with ESMTPS\nReceived: from [10.0.0.8] (pc.isp.example [198.51.100.40])\n\tby out.a.example\n");
        assert_eq!(find("554 resimta-02.sys.b.example comcast 192.0.2.18 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001", &decoys).as_deref(), Some("192.0.2.18"));
        // A hop the reply holds bare stays skipped.
        assert_eq!(find("554 rejected 198.51.100.40", &decoys), None);
    }

    #[test]
    fn the_notices_own_received_field_is_no_decoy() {
        // The hop that brought the bounce to the user's mailbox is the sending server itself.
        let mail = crate::message::read(b"Received: from relay1.example.com ([192.0.2.225])\n\tby mbox.example.com\nFrom: MAILER-DAEMON@example.com\nSubject: failure\n\n554 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.225\n");
        let decoys = Decoys::of(&mail);
        assert!(!decoys.contains(&"192.0.2.225".parse().unwrap()));
        assert_eq!(find("554 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.225", &decoys).as_deref(), Some("192.0.2.225"));
    }

    #[test]
    fn client_host_with_a_name_is_the_sender_not_a_decoy() {
        let mut decoys = Decoys::default();
        decoys.scan("550 5.7.1 Client host mail.example.co.jp[192.0.2.60] blocked using bl.example.net");
        assert!(!decoys.contains(&"192.0.2.60".parse().unwrap()));
    }
}
