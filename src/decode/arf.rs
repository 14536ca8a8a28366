//! RFC 5965 feedback reports (ARF): a complaint, not a bounce. The recipients are the
//! `Original-Rcpt-To` fields, or else the `To` of the reported message.

use crate::decode::{Decoded, first_address, header_in_block};
use crate::dsn;
use crate::message::Mail;
use crate::report::{Delivery, Kind, Reason};

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let report = dsn::parse(mail.feedback.as_deref()?);
    let fields = report.per_recipient.iter().chain(std::iter::once(&report.per_message));
    let all: Vec<&(String, String)> = fields.flat_map(|f| f.0.iter()).collect();
    let feedback_type = all.iter().find(|(n, _)| n == "feedback-type").map(|(_, v)| v.trim().to_ascii_lowercase());
    let mut recipients: Vec<String> = all.iter().filter(|(n, _)| n == "original-rcpt-to").filter_map(|(_, v)| first_address(dsn::strip_type(v))).collect();
    if recipients.is_empty() {
        recipients.extend(mail.returned_headers.as_deref().and_then(|h| header_in_block(h, "to")).as_deref().and_then(first_address));
    }
    let arrival = all.iter().find(|(n, _)| n == "arrival-date" || n == "received-date").and_then(|(_, v)| crate::time::parse_to_rfc3339(v));
    let recipients: Vec<Option<String>> = if recipients.is_empty() { vec![None] } else { recipients.into_iter().map(Some).collect() };
    Some(Decoded { arrival, ..complaint(recipients, feedback_type.as_deref(), "arf") })
}

/// A complaint (not a bounce) about the given recipients, of one feedback type: the shape every
/// complaint format decodes to.
pub(crate) fn complaint(recipients: Vec<Option<String>>, feedback_type: Option<&str>, decoded_by: &'static str) -> Decoded {
    let deliveries = recipients
        .into_iter()
        .map(|recipient| Delivery { recipient, reason: Reason::Feedback, feedback_type: feedback_type.map(str::to_owned), ..Delivery::default() })
        .collect();
    Decoded { kind: Kind::Feedback, deliveries, decoded_by, arrival: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn feedback_type_and_original_recipients() {
        let raw = b"From: fbl@isp.example\nSubject: FW: spam\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nA complaint.\n--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: x/1.0\nVersion: 1\nOriginal-Rcpt-To: a@example.com\nOriginal-Rcpt-To: b@example.com\n--b\nContent-Type: text/rfc822-headers\n\nTo: c@example.com\nSubject: hi\n--b--\n";
        let decoded = decode(&read(raw)).unwrap();
        assert_eq!(decoded.kind, Kind::Feedback);
        let recipients: Vec<_> = decoded.deliveries.iter().map(|d| d.recipient.clone().unwrap()).collect();
        assert_eq!(recipients, ["a@example.com", "b@example.com"]);
        assert_eq!(decoded.deliveries[0].feedback_type.as_deref(), Some("abuse"));
        assert_eq!(decoded.deliveries[0].reason, Reason::Feedback);
    }
}
