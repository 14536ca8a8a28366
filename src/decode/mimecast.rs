//! Mimecast's plain notice ("[Postmaster] Email Delivery Failure"), when no delivery-status part
//! came with it: each fact stands on a line of its own, opened by `-- `, under a label ending in
//! a colon:
//!
//! ```text
//! an email you addressed to email address :
//! -- neko@example.net
//! could not be delivered. The problem appears to be :
//! -- Recipient email address is possibly incorrect
//! Additional information follows :
//! -- 5.4.1 Recipient address rejected: Access denied.
//! ```
//!
//! The "additional information" is the remote server's words; the "problem" is Mimecast's own
//! reading of them, which the classifier weighs as the reporting MTA's remark.

use crate::decode::{Decoded, clean_address, complete_from_diagnostic, join_lines};
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind};

const PROBLEM_LABEL: &str = "the problem appears to be";
const INFORMATION_LABEL: &str = "additional information follows";

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let lower = crate::decode::notice_lower(mail);
    if !lower.contains(PROBLEM_LABEL) {
        return None;
    }
    let notice = crate::decode::notice_text(mail);
    let mut recipient = None;
    let mut problem: Vec<&str> = Vec::new();
    let mut information: Vec<&str> = Vec::new();
    let mut label = String::new();
    // Whether the line before was the server's words, which may wrap onto the next lines.
    let mut in_information = false;
    for line in notice.lines().map(str::trim) {
        if line.is_empty() {
            in_information = false;
        } else if let Some(fact) = line.strip_prefix("-- ") {
            in_information = label.contains(INFORMATION_LABEL);
            if label.contains(PROBLEM_LABEL) {
                problem.push(fact);
            } else if in_information {
                information.push(fact);
            } else if recipient.is_none() {
                recipient = clean_address(fact);
            }
        } else if in_information {
            information.push(line);
        } else if line.ends_with(':') {
            label = line.to_ascii_lowercase();
        }
    }
    let recipient = recipient?;
    let diagnostic = join_lines(information);
    let remark = join_lines(problem);
    let mut delivery = Delivery {
        recipient: Some(recipient),
        action: Some(Action::Failed),
        diagnostic: (!diagnostic.is_empty()).then_some(diagnostic),
        mta_remark: (!remark.is_empty()).then_some(remark),
        ..Delivery::default()
    };
    complete_from_diagnostic(&mut delivery);
    Some(Decoded { kind: Kind::Bounce, deliveries: vec![delivery], decoded_by: "mimecast", arrival: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;
    use crate::report::Reason;

    const NOTICE: &str = "From: postmaster <postmaster@b.example>\nSubject: [Postmaster] Email Delivery Failure\n\nThis is an automated alert notification. Please do not reply.\n\nAn email that you attempted to send to the following address could not be delivered:\n\n-- tama@b.example\n\nThe problem appears to be :\n-- Recipient email address is possibly incorrect\n\nAdditional information follows :\n-- 5.4.1 Recipient address rejected: Access denied. [AB12.prod.example\n2024-02-19T09:30:25Z]\n\nThis condition occurred after 1 attempt(s) to deliver over\na period of 0 hour(s).\n";

    #[test]
    fn the_recipient_the_servers_words_and_mimecasts_reading() {
        let decoded = decode(&read(NOTICE.as_bytes())).unwrap();
        assert_eq!(decoded.decoded_by, "mimecast");
        let delivery = &decoded.deliveries[0];
        assert_eq!(delivery.recipient.as_deref(), Some("tama@b.example"));
        assert_eq!(delivery.diagnostic.as_deref(), Some("5.4.1 Recipient address rejected: Access denied. [AB12.prod.example 2024-02-19T09:30:25Z]"));
        assert_eq!(delivery.status.as_deref(), Some("5.4.1"));
        assert_eq!(delivery.mta_remark.as_deref(), Some("Recipient email address is possibly incorrect"));
    }

    #[test]
    fn the_whole_pipeline_reads_a_missing_mailbox() {
        let report = crate::diagnose(NOTICE.as_bytes());
        assert_eq!(report.deliveries[0].reason, Reason::UserUnknown);
        assert!(report.deliveries[0].hard_bounce);
    }

    #[test]
    fn other_notices_are_not_taken() {
        assert_eq!(decode(&read(b"From: a@b.example\nSubject: hi\n\n-- neko@b.example\n")), None);
    }
}
