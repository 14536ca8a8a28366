//! The reputation corpus rates, computed as the project's scorer computes them
//! (`shared/tools/score reputation`): per file, the delivery of the expected recipient (else the
//! first), its blocklist's provider, IP and list, its action, status class and retry limit, and
//! the plan's advice ids against `advice_must` / `advice_must_not`. The corpus is not ours to
//! ship, so the test reads it beside the project and skips when it is absent.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;

use bounce_doctor::{Delivery, Report, diagnose};
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/reputation");

/// The rates reached on this corpus (the scorer's field names): all of them 100 %, so any miss
/// fails.
const TARGETS: &[(&str, f64)] = &[
    ("provider", 1.0),
    ("ip", 1.0),
    ("list", 1.0),
    ("no_false_block", 1.0),
    ("action", 1.0),
    ("retry_until", 1.0),
    ("advice", 1.0),
    ("status_class", 1.0),
];

#[derive(Default)]
struct Tally {
    counts: BTreeMap<&'static str, (usize, usize)>,
    misses: Vec<String>,
}

impl Tally {
    fn add(&mut self, field: &'static str, good: bool, note: impl FnOnce() -> String) {
        let entry = self.counts.entry(field).or_default();
        entry.1 += 1;
        if good {
            entry.0 += 1;
        } else {
            self.misses.push(format!("{field}: {}", note()));
        }
    }

    fn rate(&self, field: &str) -> f64 {
        self.counts.get(field).map_or(1.0, |&(ok, n)| if n == 0 { 1.0 } else { ok as f64 / n as f64 })
    }
}

fn text(value: &Value) -> Option<&str> {
    value.as_str()
}

fn same_ip(got: Option<&str>, want: Option<&str>) -> bool {
    let norm = |s: Option<&str>| s.map(|s| s.trim_matches(['[', ']']).parse::<IpAddr>().map_or_else(|_| s.to_owned(), |ip| ip.to_string()));
    norm(got) == norm(want)
}

/// Seconds since the epoch of an RFC 3339 time, so different offsets of one instant compare equal.
fn instant(rfc3339: &str) -> Option<i64> {
    let digits = |range: std::ops::Range<usize>| rfc3339.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let zone = rfc3339.get(19..)?;
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            sign * (zone.get(1..3)?.parse::<i64>().ok()? * 3600 + zone.get(4..6)?.parse::<i64>().ok()? * 60)
        }
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

fn pick<'a>(report: &'a Report, recipient: Option<&str>) -> Option<&'a Delivery> {
    // Like the scorer: the expected recipient's delivery, else the first.
    recipient
        .and_then(|want| report.deliveries.iter().find(|d| d.recipient.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(want))))
        .or_else(|| report.deliveries.first())
}

fn score(name: &str, expected: &Value, report: &Report, tally: &mut Tally) {
    let delivery = pick(report, expected["recipient"].as_str());
    let blocklist = delivery.and_then(|d| d.blocklist.as_ref());
    let provider = blocklist.map(|b| b.provider.as_str());
    let want_provider = text(&expected["provider"]);
    tally.add("provider", provider == want_provider, || format!("{name}: want {want_provider:?}, got {provider:?}"));
    match want_provider {
        None => tally.add("no_false_block", provider.is_none(), || format!("{name}: called a block by {provider:?}")),
        Some(_) => {
            let ip = blocklist.and_then(|b| b.ip.as_deref());
            let want = text(&expected["ip"]);
            tally.add("ip", same_ip(ip, want), || format!("{name}: want {want:?}, got {ip:?}"));
        }
    }
    if let Some(want) = text(&expected["list"]) {
        let list = blocklist.and_then(|b| b.list.as_deref()).unwrap_or("");
        tally.add("list", list.eq_ignore_ascii_case(want), || format!("{name}: want {want}, got {list}"));
    }
    if let Some(want) = text(&expected["action"]) {
        let action = delivery.and_then(|d| d.action).map(|a| serde_json::to_value(a).unwrap_or_default());
        let got = action.as_ref().and_then(Value::as_str);
        tally.add("action", got == Some(want), || format!("{name}: want {want}, got {got:?}"));
    }
    if let Some(want) = text(&expected["status_class"]) {
        let class = delivery.and_then(|d| d.status.as_deref().or(d.reply_code.as_deref())).and_then(|s| s.get(..1));
        tally.add("status_class", class == Some(want), || format!("{name}: want {want}, got {class:?}"));
    }
    if let Some(want) = text(&expected["retry_until"]) {
        let got = delivery.and_then(|d| d.retry_until.as_deref());
        tally.add("retry_until", got.and_then(instant).is_some() && got.and_then(instant) == instant(want), || format!("{name}: want {want}, got {got:?}"));
    }
    let ids: Vec<&str> = report.advice.iter().map(|a| a.id.as_str()).collect();
    let list_of = |key: &str| expected[key].as_array().map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>()).unwrap_or_default();
    let missing: Vec<&str> = list_of("advice_must").into_iter().filter(|id| !ids.contains(id)).collect();
    let wrong: Vec<&str> = list_of("advice_must_not").into_iter().filter(|id| ids.contains(id)).collect();
    tally.add("advice", missing.is_empty() && wrong.is_empty(), || format!("{name}: missing {missing:?}, wrong {wrong:?}, got {ids:?}"));
}

#[test]
fn reputation_corpus_meets_the_targets() {
    let corpus = Path::new(CORPUS);
    let Ok(raw) = std::fs::read_to_string(corpus.join("expected.json")) else {
        println!("skipped: no reputation corpus at {CORPUS}");
        return;
    };
    let expected: BTreeMap<String, Value> = serde_json::from_str(&raw).expect("expected.json is JSON");
    let mut tally = Tally::default();
    for (name, want) in &expected {
        let Ok(message) = std::fs::read(corpus.join("eml").join(name)) else {
            tally.add("output", false, || format!("{name}: unreadable"));
            continue;
        };
        score(name, want, &diagnose(&message), &mut tally);
    }
    let mut below = Vec::new();
    for &(field, target) in TARGETS {
        let rate = tally.rate(field);
        println!("{field:15} {:6.1}% (target {:.0}%)", rate * 100.0, target * 100.0);
        if rate + 1e-9 < target {
            below.push(format!("{field} {:.1}% < {:.0}%", rate * 100.0, target * 100.0));
        }
    }
    assert!(below.is_empty(), "below target: {below:?}\n{}", tally.misses.join("\n"));
}

#[test]
fn instants_compare_across_offsets() {
    assert_eq!(instant("2023-11-25T10:00:00+09:00"), instant("2023-11-25T01:00:00Z"));
    assert_ne!(instant("2023-11-25T10:00:00+09:00"), instant("2023-11-25T10:00:00Z"));
    assert_eq!(instant("1970-01-01T00:00:00Z"), Some(0));
}

/// A small deterministic generator, so the property test needs no extra crate.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    fn ipv4(&mut self) -> String {
        let n = self.next();
        format!("{}.{}.{}.{}", 1 + n % 223, (n >> 8) % 256, (n >> 16) % 256, 1 + (n >> 24) % 254)
    }

    fn ipv6(&mut self) -> String {
        let n = self.next();
        format!("2001:db8:{:x}:{:x}::{:x}", n % 0xffff, (n >> 16) % 0xffff, 1 + (n >> 32) % 0xfffe)
    }
}

/// Replies with the sender's IP `{S}`; some that name the receiver's own address `{R}` where the
/// sender's IP would stand, or any decoy `{D}` bare; and some that name a hop of the returned
/// message `{H}` as the client. The receiver's address is never reported, nor a bare decoy; a hop
/// the reply names as the client is reported, because the server's words decide and the returned
/// headers only corroborate (the sending server is itself a hop there: Microsoft 365 writes
/// `Received: from <sender> (IP) by ...protection.outlook.com` into every copy it returns).
const REPLIES: &[&str] = &[
    "554 5.7.1 Service unavailable; Client host [{S}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{S}",
    "450 4.7.1 Client host [{S}] blocked using Trend Micro Network Anti-Spam Service. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address={S}",
    "550 5.7.606 Access denied, banned sending IP [{S}]. To request removal from this list please visit https://sender.office.com/",
    "421 4.7.0 [TSS04] Messages from {S} temporarily deferred due to user complaints; see https://postmaster.yahooinc.com/error-codes",
    "550 5.7.1 Mail from {S} blocked using Trend Micro RBL+.",
    "554 Connection rejected -- blocked using Trend Micro Email Reputation Services -- for this {S}",
    "550 Client host [{R}] blocked using bl.example.net",
    "554 5.7.1 Client host [{R}] blocked using zen.spamhaus.org; https://check.spamhaus.org/results/?query={R}",
    "554 5.7.1 Service unavailable; blocked using zen.spamhaus.org (last seen {D})",
    "554 5.7.1 Client host [{H}] blocked using zen.spamhaus.org; https://check.spamhaus.org/results/?query={H}",
    "550 5.7.606 Access denied, banned sending IP [{H}]. To request removal from this list please visit https://sender.office.com/",
    "550 5.7.1 Recipient address rejected: ERS-QIL.",
];

/// The envelope kinds the property test builds, each with the decoys it holds.
#[derive(Clone, Copy)]
enum Envelope {
    Postfix,
    Qmail,
    Pasted,
}

fn message(envelope: Envelope, reply: &str, remote: &str, previous: &str, pc: &str, originating: &str) -> String {
    let returned = format!(
        "Received: from [192.168.1.23] (unknown [{pc}])\n\tby mail.example.co.jp (Postfix) with ESMTPSA id 4AB\n\tfor <hanako@partner.example.com>; Mon, 20 Nov 2023 10:00:00 +0900\nReceived: from pc.example.co.jp (pc.example.co.jp [{previous}]) by relay.example.co.jp\nX-Originating-IP: [{originating}]\nFrom: Taro <taro@example.co.jp>\nTo: hanako@partner.example.com\nSubject: test\n"
    );
    match envelope {
        Envelope::Postfix => format!(
            "From: MAILER-DAEMON@mail.example.co.jp\nTo: taro@example.co.jp\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n<hanako@partner.example.com>: host mx.partner.example.com[{remote}] said: {reply} (in reply to RCPT TO command)\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.co.jp\nReceived-From-MTA: dns; relay.example.co.jp [{previous}]\nArrival-Date: Mon, 20 Nov 2023 10:00:00 +0900\n\nFinal-Recipient: rfc822; hanako@partner.example.com\nAction: failed\nStatus: 5.7.1\nRemote-MTA: dns; [{remote}]\nDiagnostic-Code: smtp; {reply}\n\n--b\nContent-Type: text/rfc822-headers\n\n{returned}\n--b--\n"
        ),
        Envelope::Qmail => format!(
            "From: MAILER-DAEMON@mail.example.co.jp\nTo: taro@example.co.jp\nSubject: failure notice\n\nHi. This is the qmail-send program at mail.example.co.jp.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<hanako@partner.example.com>:\n{remote} does not like recipient.\nRemote host said: {reply}\nGiving up on {remote}.\n\n--- Below this line is a copy of the message.\n\n{returned}\nbody\n"
        ),
        Envelope::Pasted => format!(
            "The original message was received at Mon, 20 Nov 2023 10:00:00 +0900 from relay.example.co.jp [{previous}]\n<hanako@partner.example.com>: host mx.partner.example.com[{remote}] said: {reply}\n"
        ),
    }
}

#[test]
fn the_reported_ip_is_the_client_the_reply_names() {
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    let mut reported = 0;
    for round in 0..600 {
        let v6 = round % 4 == 0;
        let ip = |rng: &mut Xorshift| if v6 { rng.ipv6() } else { rng.ipv4() };
        let (sender, remote, previous, pc, originating) = (ip(&mut rng), ip(&mut rng), ip(&mut rng), ip(&mut rng), ip(&mut rng));
        let envelope = *rng.pick(&[Envelope::Postfix, Envelope::Qmail, Envelope::Pasted]);
        // A pasted reply carries no returned message: only the receiver and previous hop are in it.
        let decoys: Vec<&String> = match envelope {
            Envelope::Pasted => vec![&remote, &previous],
            _ => vec![&remote, &previous, &pc, &originating],
        };
        let named_decoy = *rng.pick(&decoys);
        let hop = *rng.pick(&decoys[1..]);
        let template = rng.pick(REPLIES);
        let reply = template.replace("{S}", &sender).replace("{R}", &remote).replace("{D}", named_decoy).replace("{H}", hop);
        let raw = message(envelope, &reply, &remote, &previous, &pc, &originating);
        let report = diagnose(raw.as_bytes());
        let want = if template.contains("{H}") { hop } else { &sender };
        for delivery in &report.deliveries {
            let Some(got) = delivery.blocklist.as_ref().and_then(|b| b.ip.as_deref()) else { continue };
            assert!(!same_ip(Some(got), Some(&remote)), "round {round}: reported the receiver's {got}\n{raw}");
            assert!(same_ip(Some(got), Some(want)), "round {round}: reported {got}, want {want}\n{raw}");
            reported += 1;
        }
    }
    // The property must have been exercised, not passed by reporting nothing.
    assert!(reported > 150, "only {reported} IPs reported");
}
