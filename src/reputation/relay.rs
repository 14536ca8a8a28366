//! Whose server sent the mail out. The returned message's newest `Received:` field was written by
//! the sending server (`by HOST`); when that host is not under the sender's own domain, the mail
//! left through a provider's or shared host's relay, and only that provider can have its IP
//! delisted.

use std::net::IpAddr;

use super::sender_ip::received_fields;

/// Second-level labels under which registrations sit one level deeper (`example.co.jp`).
const SHARED_SECOND_LEVELS: &[&str] = &["co", "ne", "or", "ac", "ad", "go", "ed", "gr", "lg", "com", "net", "org", "gov", "edu"];

/// The part of a host name its owner registered: `mail.example.co.jp` → `example.co.jp`.
pub fn registered_domain(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let valid = labels.len() >= 2 && labels.iter().all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    let top = labels.last()?;
    if !valid || top.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let keep = if labels.len() >= 3 && top.len() == 2 && SHARED_SECOND_LEVELS.contains(&labels[labels.len() - 2]) { 3 } else { 2 };
    Some(labels[labels.len().saturating_sub(keep)..].join("."))
}

/// The sending server's name when it is outside the sender's domain: the `by` host of the
/// `Received:` field that names the listed IP, else of the newest one.
pub fn outside_relay(returned_headers: &str, listed_ip: Option<&str>) -> Option<String> {
    let lower = returned_headers.to_ascii_lowercase();
    let sender_domain = sender_domain(&lower)?;
    let fields = received_fields(&lower);
    let by_part = |field: &String| field.split_once(" by ").map(|(_, by)| by.to_owned());
    let chosen = listed_ip
        .and_then(|ip| fields.iter().filter_map(by_part).find(|by| by.split(';').next().unwrap_or("").contains(ip)))
        .or_else(|| fields.first().and_then(by_part))?;
    let host = chosen.split([' ', '(', ';']).next()?.trim();
    let relay_domain = registered_domain(host)?;
    (relay_domain != sender_domain).then(|| host.to_owned())
}

/// Mail providers' published ranges of shared outbound addresses: a listed IP in one of them is
/// the provider's, shared by its customers, and only the provider can have it delisted (the
/// contract's contact-isp-or-host: "the IP is the provider's or a shared host's").
/// Microsoft: "Microsoft 365 URLs and IP address ranges", Exchange Online row ID 10
/// (`*.mail.protection.outlook.com`, TCP 25: Exchange Online Protection's mail traffic).
const SHARED_OUTBOUND: &[(&str, &[&str])] = &[(
    "Microsoft 365 (Exchange Online Protection)",
    &["40.92.0.0/15", "40.107.0.0/16", "52.100.0.0/14", "104.47.0.0/17", "2a01:111:f400::/48", "2a01:111:f403::/48"],
)];

/// The provider whose published shared outbound range holds `ip`, if any.
pub fn shared_outbound(ip: &str) -> Option<&'static str> {
    let ip: IpAddr = ip.parse().ok()?;
    SHARED_OUTBOUND.iter().find(|(_, ranges)| ranges.iter().any(|range| in_range(ip, range))).map(|(name, _)| *name)
}

/// Whether `ip` lies in the CIDR block `range`.
fn in_range(ip: IpAddr, range: &str) -> bool {
    let Some((base, bits)) = range.split_once('/') else { return false };
    let (Ok(base), Ok(bits)) = (base.parse::<IpAddr>(), bits.parse::<u32>()) else { return false };
    let prefix = |value: u128, width: u32| if bits == 0 { 0 } else { value >> (width - bits.min(width)) };
    match (ip, base) {
        (IpAddr::V4(ip), IpAddr::V4(base)) => prefix(u32::from(ip).into(), 32) == prefix(u32::from(base).into(), 32),
        (IpAddr::V6(ip), IpAddr::V6(base)) => prefix(u128::from(ip), 128) == prefix(u128::from(base), 128),
        _ => false,
    }
}

/// The registered domain of the returned message's `From:` address.
fn sender_domain(lower: &str) -> Option<String> {
    let line = lower.lines().find(|l| l.starts_with("from:"))?;
    let at = line.rfind('@')?;
    let domain: String = line[at + 1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-').collect();
    registered_domain(&domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "Received: from [192.168.1.23] (unknown [203.0.113.200])\n\tby mail.example.co.jp (Postfix) with ESMTPSA id 4AB\nFrom: Taro <taro@example.co.jp>\n";
    const SHARED: &str = "Received: from [192.168.1.23] (unknown [203.0.113.200])\n\tby sv1234.shared-host.example.net (Postfix) with ESMTPSA id 4AB\nFrom: Taro <taro@example.co.jp>\n";

    #[test]
    fn registered_domains() {
        assert_eq!(registered_domain("mail.example.co.jp").as_deref(), Some("example.co.jp"));
        assert_eq!(registered_domain("sv1.host.example.net").as_deref(), Some("example.net"));
        assert_eq!(registered_domain("localhost"), None);
        assert_eq!(registered_domain("192.0.2.1"), None);
    }

    #[test]
    fn a_providers_published_outbound_range_is_shared() {
        // Microsoft 365 URLs and IP address ranges, Exchange Online ID 10 (try6 case 112's 40.107.1.5).
        assert_eq!(shared_outbound("40.107.1.5"), Some("Microsoft 365 (Exchange Online Protection)"));
        assert_eq!(shared_outbound("104.47.127.255"), Some("Microsoft 365 (Exchange Online Protection)"));
        assert_eq!(shared_outbound("2a01:111:f403:c00::1"), Some("Microsoft 365 (Exchange Online Protection)"));
        assert_eq!(shared_outbound("104.47.128.1"), None);
        assert_eq!(shared_outbound("40.106.255.255"), None);
        assert_eq!(shared_outbound("192.0.2.5"), None);
        assert_eq!(shared_outbound("not an ip"), None);
    }

    #[test]
    fn own_server_is_no_relay_and_a_shared_host_is() {
        assert_eq!(outside_relay(OWN, None), None);
        assert_eq!(outside_relay(SHARED, Some("192.0.2.5")).as_deref(), Some("sv1234.shared-host.example.net"));
    }
}
