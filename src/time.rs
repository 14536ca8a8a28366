//! Dates in bounces: RFC 5322 dates in, RFC 3339 out, and "retried until N days old" limits.

use mail_parser::DateTime;

/// Parses an RFC 5322 (or RFC 3339) date and writes it as RFC 3339 in its own offset.
pub fn parse_to_rfc3339(text: &str) -> Option<String> {
    let text = text.trim();
    let date = DateTime::parse_rfc822(text).or_else(|| DateTime::parse_rfc3339(text))?;
    date.is_valid().then(|| date.to_rfc3339())
}

/// The moment `days` days after an RFC 3339 time, in the same offset.
pub fn add_days(rfc3339: &str, days: u32) -> Option<String> {
    let date = DateTime::parse_rfc3339(rfc3339)?;
    let offset = (date.tz_hour as i64 * 3600 + date.tz_minute as i64 * 60) * if date.tz_before_gmt { -1 } else { 1 };
    let later = DateTime::from_timestamp(date.to_timestamp() + days as i64 * 86_400).to_timezone(offset);
    Some(later.to_rfc3339())
}

/// When the notice says the sending server received the message ("The original message was
/// received at DATE"), as RFC 3339.
pub fn arrival_in_text(notice: &str) -> Option<String> {
    let lower = notice.to_ascii_lowercase();
    let marker = "original message was received at ";
    let start = lower.find(marker)? + marker.len();
    let rest = &notice[start..];
    // The date ends at the line end or at " from host [ip]".
    let line = rest.split('\n').next().unwrap_or(rest);
    let line = line.find(" from ").map_or(line, |i| &line[..i]);
    parse_to_rfc3339(line.trim().trim_end_matches(|c: char| c == ')' || c.is_ascii_alphabetic() || c == '(' || c == ' '))
        .or_else(|| parse_to_rfc3339(line))
}

/// The retry period a notice states, in days: "Will keep trying until message is 5 days old",
/// "It will be retried until it is 5 day(s) old".
pub fn retry_limit_days(notice: &str) -> Option<u32> {
    let lower = notice.to_ascii_lowercase();
    for marker in ["until message is ", "until it is "] {
        let mut rest = lower.as_str();
        while let Some(pos) = rest.find(marker) {
            let tail = &rest[pos + marker.len()..];
            let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(days) = digits.parse::<u32>()
                && tail[digits.len()..].trim_start().starts_with("day")
            {
                return Some(days);
            }
            rest = tail;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc822_dates_become_rfc3339_in_their_offset() {
        assert_eq!(parse_to_rfc3339("Sat, 25 Nov 2023 10:00:00 +0900").as_deref(), Some("2023-11-25T10:00:00+09:00"));
        assert_eq!(parse_to_rfc3339("not a date"), None);
    }

    #[test]
    fn days_are_added_across_month_ends() {
        assert_eq!(add_days("2022-09-05T00:00:00+09:00", 5).as_deref(), Some("2022-09-10T00:00:00+09:00"));
        assert_eq!(add_days("2023-11-28T10:00:00-05:00", 5).as_deref(), Some("2023-12-03T10:00:00-05:00"));
    }
}
