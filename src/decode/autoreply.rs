//! RFC 3834 automatic replies (vacation notices): not a bounce. Told by `Auto-Submitted:
//! auto-replied` or the subject words that auto-responders write; the recipient is the person
//! who answered (`From`).

use crate::decode::{Decoded, first_address};
use crate::message::Mail;
use crate::report::{Delivery, Kind, Reason};

/// Subject beginnings of auto-responders (lowercase).
const SUBJECT_MARKS: &[&str] = &["automatic reply", "auto:", "autoreply", "auto-reply", "auto reply", "out of office", "out of the office", "away until", "vacation", "absence", "自動応答", "自動返信", "不在"];

/// The prefixes that mail clients and servers put before the original subject of an automatic
/// reply, in the languages they are localised to, diacritics folded ([`fold`]): Outlook and
/// Exchange's "Automatic reply:" and the older "Out of Office AutoReply:" (public/bounce_email
/// tt_1234210666, Latvian Outlook: "Ārpus biroja atrašanās automātiskā atbilde:"), and the same
/// words in the other clients' translations (Polish "Automatyczna odpowiedź" / "Odpowiedź
/// automatyczna", the Outlook setting being "Odpowiedzi automatyczne"). Matched at the start of
/// the subject or right before its colon, as a prefix stands.
const LOCALISED_MARKS: &[&str] = &[
    "automatische antwort",      // de
    "abwesenheitsnotiz",         // de, Outlook 2003
    "reponse automatique",       // fr
    "absence du bureau",         // fr, Outlook 2003
    "respuesta automatica",      // es
    "fuera de la oficina",       // es
    "risposta automatica",       // it
    "resposta automatica",       // pt
    "automatisch antwoord",      // nl
    "automatyczna odpowiedz",    // pl
    "odpowiedz automatyczna",    // pl
    "automatiska atbilde",       // lv
    "arpus biroja",              // lv, "out of office"
    "automatiskt svar",          // sv
    "automatisk svar",           // da, nb
    "automaattinen vastaus",     // fi
    "automaticka odpoved",       // cs
    "automatikus valasz",        // hu
    "автоматический ответ",      // ru
    "автоответ",                 // ru
    "自动回复",                  // zh-Hans
    "自動回覆",                  // zh-Hant
];

/// Words of an absence notice in its text (English and the languages of [`LOCALISED_MARKS`]),
/// read only where the header says the message was sent to many without being a list's post
/// (`Precedence: bulk`/`junk`, which the Unix vacation(1) program writes: RFC 3834 §3.1.8).
const ABSENCE_WORDS: &[&str] = &[
    "out of office",
    "out of the office",
    "on vacation",
    "on holiday",
    "on leave",
    "away from the office",
    "i am away",
    "i'm away",
    "currently away",
    "will be back",
    "i will return",
    "limited access to e-mail",
    "limited access to email",
    "abwesend",
    "im urlaub",
    "absent du bureau",
    "absente du bureau",
    "en vacances",
    "de vacaciones",
    "fuera de la oficina",
    "in ferie",
    "poza biurem",
    "na urlopie",
    "atvalinajuma",
    "不在にしております",
    "休暇",
];

pub fn decode(mail: &Mail) -> Option<Decoded> {
    let auto_submitted = mail.header("auto-submitted").unwrap_or("").trim().to_ascii_lowercase();
    let subject = fold(mail.subject().trim());
    let precedence = mail.header("precedence").unwrap_or("").trim().to_ascii_lowercase();
    let by_header = auto_submitted.starts_with("auto-replied")
        || mail.header("x-autoreply").is_some()
        || mail.header("x-autorespond").is_some()
        || precedence == "auto_reply";
    let by_subject = SUBJECT_MARKS.iter().any(|m| subject.starts_with(m)) || LOCALISED_MARKS.iter().any(|m| is_prefix_mark(&subject, m));
    // A list's post carries `Precedence: bulk` too, and says so in its `List-*` fields.
    let bulk_absence = matches!(precedence.as_str(), "bulk" | "junk")
        && !mail.headers.iter().any(|(name, _)| name.starts_with("list-"))
        && reads_as_absence(mail);
    if !(by_header || by_subject || bulk_absence) || is_a_delivery_report(mail, by_subject) {
        return None;
    }
    let delivery = Delivery {
        recipient: first_address(mail.from()),
        reason: Reason::Vacation,
        diagnostic: None,
        ..Delivery::default()
    };
    Some(Decoded { kind: Kind::Autoreply, deliveries: vec![delivery], decoded_by: "rfc3834", arrival: None })
}

/// A report about a delivery, whatever its `Auto-Submitted` says (RFC 3834 §5 asks the same
/// header of both; the structure tells them apart): an RFC 3464 status part, a feedback report,
/// the `X-Failed-Recipients` field, a mail system's sender, a subject about delivery, or a
/// notice holding an SMTP failure reply (at a line's start, or quoted as Exchange quotes it) or
/// a returned-mail sentence.
///
/// Under an auto-reply's subject prefix (`replied_subject`: "Automatic reply: Delivery failed
/// for order 7781") the rest is the subject of the mail answered (Exchange's automatic replies,
/// RFC 3834 §3.1.5 "Auto: " + the original subject), and the text is the person's own: neither
/// makes it a report. Only structure does (a status part, a mail system's sender, a refusal).
fn is_a_delivery_report(mail: &Mail, replied_subject: bool) -> bool {
    let subject = mail.subject().to_ascii_lowercase();
    let about_delivery = !replied_subject
        && (["undeliver", "fail", "error", "returned", "delivery status", "not delivered", "delayed"].iter().any(|m| subject.contains(m))
            || crate::decode::text::NOTICE_SUBJECT_WORDS.iter().any(|m| subject.contains(m)));
    // The cheap marks first; the notice's lines are scanned only when none holds.
    let lower = crate::decode::notice_lower(mail);
    mail.from_mail_service()
        || about_delivery
        || !mail.status.is_empty()
        || mail.feedback.is_some()
        || mail.header("x-failed-recipients").is_some()
        || lower.lines().any(|line| crate::smtp::starts_with_refusal(line.trim_start()))
        || crate::decode::text::quotes_a_coded_refusal(lower)
        || (!replied_subject && crate::decode::text::RETURNED_WORDS.iter().any(|words| lower.contains(words)))
}

/// What a challenge-response filter asks of the sender: approval of the sender, or a message
/// held until the sender acts (Spam Arrest and ChoiceMail "verify", Boxbe's "Guest List",
/// EarthLink spamBlocker's "list of approved senders").
const CHALLENGE_HOLDS: &[&str] = &[
    "approved senders",
    "list of approved",
    "guest list",
    "whitelist",
    "white list",
    "is being held",
    "has been held",
    "pending verification",
    "waitlisted",
    "will not be delivered until",
    "won't be delivered until",
    "will be delivered once",
    "will be delivered as soon as",
    "until you verify",
    "until you confirm",
    "sender verification",
];

/// The step a challenge asks for.
const CHALLENGE_STEPS: &[&str] = &["verify", "verification", "confirm", "click", "fill out", "prove"];

/// A challenge-response filter's answer: an automatic reply (RFC 3834), not a bounce (nothing
/// was returned) and no absence notice. The recipient is the person the held message was for,
/// named in its sentence ("You recently sent an email to a@b"), else the sender of the answer.
pub fn challenge(mail: &Mail) -> Decoded {
    let notice = crate::decode::notice_text(mail);
    let recipient = held_for(crate::decode::notice_lower(mail)).or_else(|| first_address(mail.from()));
    let delivery = Delivery { recipient, reason: Reason::Vacation, cause: Some(crate::decode::CHALLENGE_RESPONSE.to_owned()), diagnostic: held_sentence(notice), ..Delivery::default() };
    Decoded { kind: Kind::Autoreply, deliveries: vec![delivery], decoded_by: "challenge-response", arrival: None }
}

/// The address the held message was sent to, in the challenge's sentence.
fn held_for(lower: &str) -> Option<String> {
    let marks = ["sent an email to ", "sent an e-mail to ", "sent a message to ", "your message to ", "your email to ", "your e-mail to "];
    marks.iter().find_map(|mark| lower.find(mark).and_then(|at| lower[at + mark.len()..].split_whitespace().next()).and_then(crate::decode::clean_address))
}

/// The sentence that says the message is held: the challenge's own words for the report.
fn held_sentence(notice: &str) -> Option<String> {
    let flat = crate::decode::join_lines(notice.lines());
    let lower = flat.to_ascii_lowercase();
    let at = CHALLENGE_HOLDS.iter().filter_map(|words| lower.find(words)).min()?;
    let start = flat[..at].rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let end = flat[at..].find(['.', '!', '?']).map_or(flat.len(), |i| at + i + 1);
    Some(flat[start..end].trim().to_owned())
}

/// A challenge-response filter's request that the sender prove itself (see [`challenge`]).
pub fn is_challenge(mail: &Mail) -> bool {
    if mail.is_fragment {
        return false;
    }
    // Run before every decoder: the notice's head (already lowercased) first, the report's marks
    // only for the rare message that asks for a proof.
    let lower = crate::decode::notice_lower(mail);
    let head = lower.char_indices().nth(3000).map_or(lower, |(end, _)| &lower[..end]);
    CHALLENGE_HOLDS.iter().any(|words| head.contains(words)) && CHALLENGE_STEPS.iter().any(|words| head.contains(words)) && !is_a_delivery_report(mail, false)
}

/// The notice's first lines speak of an absence.
fn reads_as_absence(mail: &Mail) -> bool {
    let head: String = crate::decode::notice_text(mail).chars().take(2000).collect();
    let head = fold(&head);
    ABSENCE_WORDS.iter().any(|words| head.contains(words))
}

/// `mark` stands right before the colon that ends a prefix ("Automatyczna odpowiedź: ..."); a
/// subject that only begins with the words is a sentence (an automatic receipt "Автоматический
/// ответ подсистемы ...", msg/poi-cyrillic_message.msg, is no absence notice).
fn is_prefix_mark(subject: &str, mark: &str) -> bool {
    subject.find(mark).is_some_and(|at| subject[at + mark.len()..].trim_start().starts_with(':'))
}

/// Lowercase with the diacritics of Latin letters dropped, so a subject written with or without
/// them (`Automātiskā`, `automatiska`) reads the same; Cyrillic capitals lowered too. Written
/// out for the letters of the marks above rather than with Unicode case tables, which would
/// weigh on the page.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            // Cyrillic А-Я and Ё.
            '\u{410}'..='\u{42F}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
            '\u{401}' => '\u{451}',
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ą' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
            'Ç' | 'Ć' | 'Č' | 'ç' | 'ć' | 'č' => 'c',
            'Ď' | 'ď' => 'd',
            'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' | 'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
            'Ģ' | 'ģ' => 'g',
            'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
            'Ķ' | 'ķ' => 'k',
            'Ł' | 'Ļ' | 'ł' | 'ļ' => 'l',
            'Ñ' | 'Ń' | 'Ņ' | 'Ň' | 'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ő' | 'Ø' | 'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ő' | 'ø' => 'o',
            'Ř' | 'ř' => 'r',
            'Ś' | 'Š' | 'ś' | 'š' => 's',
            'Ť' | 'ť' => 't',
            'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' | 'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'Ý' | 'ý' => 'y',
            'Ź' | 'Ż' | 'Ž' | 'ź' | 'ż' | 'ž' => 'z',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::read;

    #[test]
    fn auto_replied_header_makes_a_vacation_notice() {
        let raw = b"From: Kijitora <kijitora@example.net>\nTo: a@example.org\nAuto-Submitted: auto-replied\nSubject: Away until May 5\n\nI am away.\n";
        let decoded = decode(&read(raw)).unwrap();
        assert_eq!(decoded.kind, Kind::Autoreply);
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("kijitora@example.net"));
        assert_eq!(decoded.deliveries[0].reason, Reason::Vacation);
    }

    #[test]
    fn ordinary_mail_is_no_auto_reply() {
        assert_eq!(decode(&read(b"From: a@example.org\nSubject: lunch\n\nnoon?\n")), None);
    }

    #[test]
    fn localised_prefixes_mark_an_automatic_reply() {
        for subject in ["AUTOMATYCZNA ODPOWIEDŹ: spotkanie", "Автоматический ответ: встреча", "=?UTF-8?Q?Odpowied=C5=BA_automatyczna:_spotkanie?=", "Arpus biroja atrasanas automatiska atbilde: spotkanie", "Automatische Antwort: Termin"] {
            let raw = format!("From: Tama <tama@b.example>\nTo: a@a.example\nSubject: {subject}\n\nDzien dobry.\n");
            let decoded = decode(&read(raw.as_bytes())).unwrap_or_else(|| panic!("{subject}"));
            assert_eq!(decoded.kind, Kind::Autoreply);
            assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("tama@b.example"));
        }
        // The words inside a subject are no prefix.
        assert_eq!(decode(&read(b"From: a@b.example\nSubject: How to set a risposta automatica in Outlook\n\nhelp\n")), None);
    }

    #[test]
    fn a_bulk_precedence_absence_notice_is_an_automatic_reply_but_a_list_post_is_not() {
        let notice = b"From: tama@b.example\nSubject: Re: report\nPrecedence: bulk\n\nThank you for your email. I am out of office until Monday.\n";
        assert_eq!(decode(&read(notice)).unwrap().kind, Kind::Autoreply);
        let list = b"From: news@b.example\nSubject: Newsletter\nPrecedence: bulk\nList-Id: <news.b.example>\n\nOur team will be back with more news.\n";
        assert_eq!(decode(&read(list)), None);
    }

    #[test]
    fn a_bounce_sent_as_auto_replied_is_no_vacation_notice() {
        let raw = b"From: System <admin@b.example>\nAuto-Submitted: auto-replied\nSubject: Unzustellbar: Termin\n\nneko@b.example\n550 5.1.1 User unknown\n";
        assert_eq!(decode(&read(raw)), None);
    }

    #[test]
    fn a_challenge_to_prove_the_sender_is_no_bounce() {
        let challenge = read(b"From: Tama <tama@b.example>\nSubject: Re: meeting [verification]\n\nYour message is being held until you verify that you are a person. Please click the link below.\n");
        assert!(is_challenge(&challenge));
        let bounce = read(b"From: MAILER-DAEMON@b.example\nSubject: Undelivered Mail\n\n<tama@b.example>: host mx.b.example[198.51.100.7] said: 550 5.7.1 Sender verification failed, click https://b.example/whitelist\n");
        assert!(!is_challenge(&bounce));
    }

    #[test]
    fn a_challenge_is_an_automatic_reply_that_says_the_message_is_held() {
        let raw = b"From: Filter <verify@guard.example>\nSubject: Please confirm (re: offer)\nAuto-Submitted: auto-replied\n\nYou sent an email to tama@b.example. Your message is being held and will not be\ndelivered until you verify that you are a person. Click the link below.\n";
        let report = crate::diagnose(raw);
        assert_eq!(report.kind, Kind::Autoreply);
        let delivery = &report.deliveries[0];
        assert_eq!(delivery.recipient.as_deref(), Some("tama@b.example"));
        assert_eq!(delivery.cause.as_deref(), Some(crate::decode::CHALLENGE_RESPONSE));
        assert_eq!(delivery.diagnostic.as_deref(), Some("Your message is being held and will not be delivered until you verify that you are a person."));
        for lang in [crate::Lang::En, crate::Lang::Ja] {
            assert_eq!(crate::render::verdict(&report, lang), crate::i18n::text(lang, "kind.autoreply.challenge"));
        }
    }

    #[test]
    fn an_automatic_reply_to_a_mail_about_a_failed_delivery_is_still_an_automatic_reply() {
        // The answered mail's subject follows the prefix; the person's text speaks of parcels.
        let raw = "From: Ken Ito <ken@depot.example>\nTo: sales@shop.example\nSubject: Automatic reply: Undeliverable parcel - delivery failed twice\nAuto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\n\nI am out of the office until 4 January. For undeliverable parcels please call the depot.\n";
        let decoded = decode(&read(raw.as_bytes())).unwrap();
        assert_eq!(decoded.kind, Kind::Autoreply);
        assert_eq!(decoded.deliveries[0].recipient.as_deref(), Some("ken@depot.example"));
        // A mail system's notice with the same subject words stays a report.
        let notice = "From: MAILER-DAEMON@depot.example\nTo: sales@shop.example\nSubject: Automatic reply: Undeliverable\nAuto-Submitted: auto-replied\n\n<ken@depot.example>: 550 5.1.1 User unknown\n";
        assert!(decode(&read(notice.as_bytes())).is_none());
    }

    #[test]
    fn exchanges_japanese_notice_sent_as_auto_replied_is_no_vacation_notice() {
        // The Japanese subject prefixes count as the English ones do.
        for subject in ["配信不能: 見積書", "FW: 配信不能: 見積書", "配信の遅延: 見積書"] {
            let raw = format!("From: Microsoft Outlook <postmaster@b.example>\nAuto-Submitted: auto-replied\nSubject: {subject}\n\n次の受信者またはグループへの配信に失敗しました:\n\nneko@c.example\n");
            assert_eq!(decode(&read(raw.as_bytes())), None, "{subject}");
        }
        // The server's reply quoted in the notice says it too, under any subject.
        let quoted = "From: Outlook <notice@b.example>\nAuto-Submitted: auto-replied\nSubject: 見積書\n\nneko@c.example\nリモート サーバーから '550 5.1.1 User unknown' が返されました\n";
        assert_eq!(decode(&read(quoted.as_bytes())), None);
        // A person's own absence note with a number in it stays one.
        let vacation = "From: Tama <tama@b.example>\nAuto-Submitted: auto-replied\nSubject: 不在: 見積書\n\n12月5日まで不在です。急ぎは '550' 内線へ。\n";
        assert_eq!(decode(&read(vacation.as_bytes())).unwrap().kind, Kind::Autoreply);
    }
}
