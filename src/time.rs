//! Dates in bounces: RFC 5322 dates in, RFC 3339 out, and "retried until N days old" limits.

use mail_parser::DateTime;

/// Parses an RFC 5322 (or RFC 3339) date and writes it as RFC 3339 in its own offset.
pub fn parse_to_rfc3339(text: &str) -> Option<String> {
    let text = text.trim();
    let date = DateTime::parse_rfc822(text).or_else(|| DateTime::parse_rfc3339(text))?;
    date.is_valid().then(|| date.to_rfc3339())
}

/// The moment `hours` hours after an RFC 3339 time, in the same offset.
pub fn add_hours(rfc3339: &str, hours: u32) -> Option<String> {
    add_minutes(rfc3339, hours.checked_mul(60)?)
}

/// The moment `minutes` minutes after an RFC 3339 time, in the same offset.
pub fn add_minutes(rfc3339: &str, minutes: u32) -> Option<String> {
    let date = DateTime::parse_rfc3339(rfc3339)?;
    let offset = (date.tz_hour as i64 * 3600 + date.tz_minute as i64 * 60) * if date.tz_before_gmt { -1 } else { 1 };
    let later = DateTime::from_timestamp(date.to_timestamp() + minutes as i64 * 60).to_timezone(offset);
    Some(later.to_rfc3339())
}

/// The retry time left, counted from the notice itself, in minutes: Exchange's "will keep
/// trying to deliver this message for the next 1 days, 19 hours and 57 minutes", Gmail's "will
/// retry for 46 more hours".
pub fn retry_remaining_minutes(notice: &str) -> Option<u32> {
    let lower = notice.to_ascii_lowercase();
    let Some(marker_end) = ["trying to deliver this message for the next ", "will retry for "]
        .iter()
        .find_map(|marker| lower.find(marker).map(|at| at + marker.len()))
    else {
        return japanese_retry_minutes(notice);
    };
    let sentence = lower[marker_end..].split(['.', '\n']).next().unwrap_or("");
    let mut minutes: u32 = 0;
    let mut number: Option<u32> = None;
    for word in sentence.split(|c: char| c.is_whitespace() || c == ',') {
        let per = if word.starts_with("day") { 1_440 } else if word.starts_with("hour") { 60 } else if word.starts_with("minute") { 1 } else { 0 };
        if let Ok(n) = word.parse::<u32>() {
            number = Some(n);
        } else if per > 0 && let Some(n) = number.take() {
            // "46 more hours": the unit may come a word after its number.
            minutes = minutes.checked_add(n.checked_mul(per)?)?;
        }
    }
    (minutes > 0).then_some(minutes)
}

/// The same periods in the Japanese notices: Gmail's "Gmail では 45 時間再試行します" (its "Gmail
/// will retry for 45 more hours") and Exchange's "サーバーは、今後 1 日 19 時間 55 分間、このメッセー
/// ジの配信を試みます" (its "will keep trying to deliver this message for the next 1 days, 19
/// hours and 55 minutes"; also worded "配信を試行し続けます" / "試み続けます", stellarinfo.com's
/// page on the 4.4.7 notice): the sentence holding the retry verb, its numbers with 日, 時間, 分.
fn japanese_retry_minutes(notice: &str) -> Option<u32> {
    // "配信を試行します": the same sentence with 試行 for 試み, as Exchange words "配信の試行は
    // 続行されます" elsewhere in the notice (try6 case 132).
    const RETRY_VERBS: &[&str] = &["再試行します", "配信を試みます", "配信を試行します", "試行し続けます", "試み続けます"];
    let sentence = notice.split(['。', '\n']).find(|s| RETRY_VERBS.iter().any(|verb| s.contains(verb)))?;
    let mut minutes: u32 = 0;
    let mut number: Option<u32> = None;
    let mut rest = sentence;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() {
            let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            number = rest[..digits].parse().ok();
            rest = &rest[digits..];
            continue;
        }
        let per = if rest.starts_with('日') { 1_440 } else if rest.starts_with("時間") { 60 } else if rest.starts_with('分') { 1 } else { 0 };
        if per > 0 && let Some(n) = number.take() {
            minutes = minutes.checked_add(n.checked_mul(per)?)?;
        } else if c != ' ' {
            number = None;
        }
        rest = &rest[c.len_utf8()..];
    }
    (minutes > 0).then_some(minutes)
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

/// The retry period a notice states, counted from the message's arrival, in hours: "Will keep
/// trying until message is 5 days old", "It will be retried until it is 5 day(s) old", "until
/// message is 8 hours old", OpenSMTPD's "kept in the queue for up to 7 days".
pub fn retry_limit_hours(notice: &str) -> Option<u32> {
    let lower = notice.to_ascii_lowercase();
    for marker in ["until message is ", "until it is ", "in the queue for up to "] {
        let mut rest = lower.as_str();
        while let Some(pos) = rest.find(marker) {
            let tail = &rest[pos + marker.len()..];
            let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
            let unit = tail[digits.len()..].trim_start();
            if let Ok(count) = digits.parse::<u32>() {
                if unit.starts_with("day") {
                    return count.checked_mul(24);
                }
                if unit.starts_with("hour") {
                    return Some(count);
                }
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
        assert_eq!(add_hours("2022-09-05T00:00:00+09:00", 5 * 24).as_deref(), Some("2022-09-10T00:00:00+09:00"));
        assert_eq!(add_hours("2023-11-28T10:00:00-05:00", 5 * 24).as_deref(), Some("2023-12-03T10:00:00-05:00"));
        assert_eq!(add_hours("2018-06-15T17:36:54+09:00", 8).as_deref(), Some("2018-06-16T01:36:54+09:00"));
    }

    #[test]
    fn retry_time_left_from_the_notice() {
        assert_eq!(retry_remaining_minutes("The server will keep trying to deliver this message for the next 1 days, 19 hours and 57 minutes. You'll be notified."), Some(1_440 + 19 * 60 + 57));
        assert_eq!(retry_remaining_minutes("Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently."), Some(46 * 60));
        assert_eq!(retry_remaining_minutes("We will retry for a while."), None);
        assert_eq!(retry_remaining_minutes("一時的な問題が発生しました。Gmail では 30 時間再試行します。"), Some(30 * 60));
        assert_eq!(retry_remaining_minutes("サーバーは、今後 2 日 3 時間 4 分間、このメッセージの配信を試みます。"), Some(2 * 1_440 + 3 * 60 + 4));
        assert_eq!(retry_remaining_minutes("サーバーは、今後 3 日 2 時間 10 分間、このメッセージの配信を試行し続けます。"), Some(3 * 1_440 + 2 * 60 + 10));
        assert_eq!(retry_remaining_minutes("サーバーは、今後 12 時間 5 分にわたってこのメッセージの配信を試行します。"), Some(12 * 60 + 5));
        assert_eq!(retry_remaining_minutes("3 時間前に送ったメールです。再試行しますか"), None);
    }

    #[test]
    fn retry_periods_in_days_or_hours() {
        assert_eq!(retry_limit_hours("It will be retried until it is 5 day(s) old."), Some(120));
        assert_eq!(retry_limit_hours("Will keep trying until message is 8 hours old"), Some(8));
        assert_eq!(retry_limit_hours("The message is kept in the queue for up to 7 days."), Some(168));
        assert_eq!(retry_limit_hours("until it is 99999999999 days old"), None);
        assert_eq!(retry_limit_hours("no period here"), None);
    }
}
