//! fml, the mailing-list manager, refusing or stopping a post: "Loop Alert: Duplicated
//! Message-ID", "NOT MEMBER article from ...", "Security Alert". The list's address closes the
//! sentence (`... in <list@host>.`); the returned post follows "Original mail as follows:". The
//! verdict is fml's own, in its fixed wordings, not a remote server's reply.

use crate::decode::{Decoded, clean_address, join_lines};
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind, Reason};

const RETURNED_MARKER: &str = "original mail as follows:";

/// fml's wordings (lowercase) and what they mean; tried on the notice, then on the subject.
const VERDICTS: &[(&str, Reason)] = &[
    ("duplicated message-id", Reason::SystemError),
    ("has been already processed", Reason::SystemError),
    ("loop alert:", Reason::SystemError),
    ("loop back warning", Reason::SystemError),
    ("unix from loop", Reason::SystemError),
    ("fml system error", Reason::SystemError),
    ("security alert", Reason::SecurityError),
    ("not member", Reason::Rejected),
    ("not a member", Reason::Rejected),
    ("spam mail from a spammer is rejected", Reason::Rejected),
    ("reject mail", Reason::Rejected),
];

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let by_fml = mail.header("x-mlserver").is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("fml"))
        || mail.header("message-id").is_some_and(|v| v.contains(".FML"));
    if !by_fml {
        return None;
    }
    let notice = crate::decode::notice_text(mail);
    let lower = crate::decode::notice_lower(mail);
    let end = lower.find(RETURNED_MARKER).unwrap_or(notice.len());
    let lines: Vec<&str> = notice[..end].lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let list = lines.iter().find_map(|line| closing_address(line))?;
    let words = join_lines(lines.iter().copied());
    let lower_words = words.to_ascii_lowercase();
    let subject = mail.subject().to_ascii_lowercase();
    let reason = [lower_words.as_str(), subject.as_str()]
        .iter()
        .find_map(|text| VERDICTS.iter().find(|(wording, _)| text.contains(wording)))
        .map_or(Reason::Undefined, |&(_, reason)| reason);
    let delivery = Delivery {
        recipient: Some(list),
        action: Some(Action::Failed),
        reason,
        diagnostic: (!words.is_empty()).then_some(words),
        ..Delivery::default()
    };
    Some(Decoded { kind: Kind::Bounce, deliveries: vec![delivery], decoded_by: "fml", arrival: None })
}

/// The address that ends a sentence: `... in <list@host>.` or a line `list@host.`.
fn closing_address(line: &str) -> Option<String> {
    let sentence = line.strip_suffix('.')?;
    match sentence.strip_suffix('>') {
        Some(bracketed) => clean_address(&bracketed[bracketed.rfind('<')? + 1..]),
        None => (!sentence.contains(char::is_whitespace)).then(|| clean_address(sentence)).flatten(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    fn notice(subject: &str, text: &str) -> Vec<u8> {
        format!("From: tora-admin@list.example\nSubject: {subject}\nMessage-Id: <202401010000.FMLAAB00001.tora@list.example>\nX-MLServer: fml [fml 4.0.3 release]\n\n{text}\n\nOriginal mail as follows:\n\n   From: <mike@sender.example>\n   To: <tora@list.example>\n   Subject: hello\n").into_bytes()
    }

    #[test]
    fn a_loop_alert_is_a_system_error_of_the_list() {
        let decoded = decode(&read(&notice("Loop Alert: Duplicated Message-ID (tora ML)", "Duplicated Message-ID in <tora@list.example>."))).unwrap();
        let delivery = &decoded.deliveries[0];
        assert_eq!(delivery.recipient.as_deref(), Some("tora@list.example"));
        assert_eq!(delivery.reason, Reason::SystemError);
    }

    #[test]
    fn a_post_from_a_non_member_is_rejected_and_the_subject_decides_when_the_text_is_silent() {
        let refused = decode(&read(&notice("NOT MEMBER article from mike@sender.example (tora ML)", "You are not a member of this mailing list <tora@list.example>.\n\nSend \"guide\" to\n\ttora-ctl@list.example"))).unwrap();
        assert_eq!(refused.deliveries[0].reason, Reason::Rejected);
        assert_eq!(refused.deliveries[0].recipient.as_deref(), Some("tora@list.example"));
        let by_subject = decode(&read(&notice("Security Alert (tora ML)", "Your post to <tora@list.example>."))).unwrap();
        assert_eq!(by_subject.deliveries[0].reason, Reason::SecurityError);
    }

    #[test]
    fn other_mail_is_not_read_as_fml() {
        let raw = b"From: tora-admin@list.example\nSubject: Loop Alert\n\nDuplicated Message-ID in <tora@list.example>.\n";
        assert!(decode(&read(raw)).is_none());
    }
}
