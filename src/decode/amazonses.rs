//! Amazon SES notifications delivered by mail (SNS): a JSON document, sometimes quoted inside
//! another one, with `notificationType` Bounce, Complaint or Delivery and the recipients.

use crate::decode::{Decoded, clean_address, complete_from_diagnostic};
use crate::dsn;
use crate::message::Mail;
use crate::report::{Action, Delivery, Kind, Reason};

pub fn decode(mail: &Mail) -> Option<Decoded> {
    if !mail.body.contains("notificationType") {
        return None;
    }
    // The SNS envelope quotes the SES document as a string: unquote it once.
    let json = mail.body.replace("\\\"", "\"");
    let kind_name = field(&json, "notificationType")?;
    let (kind, list) = match kind_name {
        "Bounce" => (Kind::Bounce, "bouncedRecipients"),
        "Complaint" => (Kind::Feedback, "complainedRecipients"),
        "Delivery" => (Kind::Delivered, "recipients"),
        _ => return None,
    };
    let start = json.find(&format!("\"{list}\""))?;
    let end = json[start..].find(']').map_or(json.len(), |i| start + i);
    let entries = &json[start..end];
    let mut deliveries = Vec::new();
    match kind {
        Kind::Delivered => {
            let response = field(&json, "smtpResponse").map(str::to_owned);
            for address in entries.split('"').filter_map(clean_address) {
                let mut delivery = Delivery {
                    recipient: Some(address),
                    action: Some(Action::Delivered),
                    reason: Reason::Delivered,
                    diagnostic: response.clone(),
                    remote_mta: field(&json, "remoteMtaIp").map(str::to_owned),
                    ..Delivery::default()
                };
                complete_from_diagnostic(&mut delivery);
                deliveries.push(delivery);
            }
        }
        _ => {
            let feedback_type = field(&json, "complaintFeedbackType").map(str::to_owned);
            for entry in entries.split("\"emailAddress\"").skip(1) {
                let entry = format!("\"emailAddress\"{entry}");
                let Some(address) = field(&entry, "emailAddress").and_then(clean_address) else { continue };
                let mut delivery = Delivery {
                    recipient: Some(address),
                    action: field(&entry, "action").and_then(Action::parse),
                    status: field(&entry, "status").map(str::to_owned),
                    diagnostic: field(&entry, "diagnosticCode").map(|d| dsn::strip_type(d).to_owned()),
                    ..Delivery::default()
                };
                if kind == Kind::Feedback {
                    delivery.reason = Reason::Feedback;
                    delivery.feedback_type.clone_from(&feedback_type);
                } else {
                    complete_from_diagnostic(&mut delivery);
                }
                deliveries.push(delivery);
            }
        }
    }
    (!deliveries.is_empty()).then_some(Decoded { kind, deliveries, decoded_by: "amazonses", arrival: None })
}

/// The string value of `"name":"value"` (first occurrence), without JSON escapes inside.
fn field<'a>(json: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("\"{name}\":\"");
    let start = json.find(&key)? + key.len();
    let end = json[start..].find('"')? + start;
    Some(&json[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn bounce_notification() {
        let raw = br#"From: no-reply@sns.amazonaws.com
Subject: AWS Notification Message

{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]}}
"#;
        let decoded = decode(&read(raw)).unwrap();
        let d = &decoded.deliveries[0];
        assert_eq!(d.recipient.as_deref(), Some("a@example.com"));
        assert_eq!(d.status.as_deref(), Some("5.1.1"));
        assert_eq!(d.reply_code.as_deref(), Some("550"));
        assert_eq!(d.diagnostic.as_deref(), Some("550 5.1.1 user unknown"));
    }

    #[test]
    fn complaint_is_feedback() {
        let raw = br#"From: no-reply@sns.amazonaws.com
Subject: AWS Notification Message

{"Message":"{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":\"c@example.com\"}],\"complaintFeedbackType\":\"abuse\"}}"}
"#;
        let decoded = decode(&read(raw)).unwrap();
        assert_eq!(decoded.kind, Kind::Feedback);
        assert_eq!(decoded.deliveries[0].feedback_type.as_deref(), Some("abuse"));
    }
}
