//! Whose server sent the mail out. The returned message's newest `Received:` field was written by
//! the sending server (`by HOST`); when that host is not under the sender's own domain, the mail
//! left through a provider's or shared host's relay, and only that provider can have its IP
//! delisted.

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
    fn own_server_is_no_relay_and_a_shared_host_is() {
        assert_eq!(outside_relay(OWN, None), None);
        assert_eq!(outside_relay(SHARED, Some("192.0.2.5")).as_deref(), Some("sv1234.shared-host.example.net"));
    }
}
