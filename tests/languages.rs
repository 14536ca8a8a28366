//! The common causes in the languages bounces come in, read from whole notices: each wording of
//! the table below (short replies written here, in the shapes of the wordings the classifier's
//! rows cite) is put in the three places a server's words arrive in, and must give its reason in
//! each; the same words in the returned message or in a notice's help footer must not decide.

use bounce_doctor::{Reason, diagnose};

use Reason::*;

/// (language, the server's words, the reason they name). The words carry no status code of
/// their own: the shapes add a code that names no cause (`5.0.0`, `550`), so the words decide.
const CASES: &[(&str, &str, Reason)] = &[
    ("en", "Mailbox is full", MailboxFull),
    ("en", "User unknown", UserUnknown),
    ("ja", "メールボックスがいっぱいのため受信できません", MailboxFull),
    ("ja", "宛先のメールアドレスが見つかりません", UserUnknown),
    ("ja", "このアカウントは現在利用停止中です", Suspend),
    ("ja", "不明なアドレスです", UserUnknown),
    ("de", "Das Postfach des Empfängers ist voll und kann zurzeit keine Nachrichten annehmen.", MailboxFull),
    ("de", "Speicherplatz Limite (Quota) erreicht", MailboxFull),
    ("de", "Benutzer hat das Speichervolumen ueberschritten", MailboxFull),
    ("de", "Empfänger unbekannt", UserUnknown),
    ("de", "Die E-Mail-Adresse existiert nicht", UserUnknown),
    ("de", "mika wurde nicht in example.de gefunden.", UserUnknown),
    ("de", "Das Postfach des Empfängers wurde deaktiviert.", Suspend),
    ("de", "Die Domain existiert nicht", HostUnknown),
    ("de", "Die E-Mail ist zu groß", MesgTooBig),
    ("de", "Die Mail ist zu gross", MesgTooBig),
    ("fr", "Boite du destinataire pleine.", MailboxFull),
    ("fr", "La boîte aux lettres du destinataire est pleine et ne peut pas accepter de messages pour l'instant.", MailboxFull),
    ("fr", "Utilisateur inconnu", UserUnknown),
    ("fr", "Adresse d au moins un destinataire invalide.", UserUnknown),
    ("fr", "Boite du destinataire archivee.", Suspend),
    ("fr", "Taille limite du message atteinte.", MesgTooBig),
    ("fr", "Domaine introuvable", HostUnknown),
    ("fr", "Message trop volumineux", MesgTooBig),
    ("es", "El buzón del destinatario está lleno", MailboxFull),
    ("es", "La bandeja de entrada del destinatario está llena", MailboxFull),
    ("es", "Usuario inexistente", UserUnknown),
    ("es", "La dirección de correo electrónico del destinatario no existe", UserUnknown),
    ("es", "Esta casilla ha expirado por falta de uso", Suspend),
    ("es", "Dominio no encontrado", HostUnknown),
    ("it", "La casella di posta del destinatario è piena", MailboxFull),
    ("it", "Non sono riuscito a trovare l'indirizzo e-mail che hai immesso.", UserUnknown),
    ("it", "L'indirizzo di posta al quale stai scrivendo non esiste", UserUnknown),
    ("it", "Il dominio del destinatario non esiste", HostUnknown),
    ("it", "Cassetta postale piena", MailboxFull),
    ("it", "La casella ha raggiunto il limite massimo di capienza consentito", MailboxFull),
    ("it", "Utente sconosciuto", UserUnknown),
    ("it", "Host sconosciuto", HostUnknown),
    ("pt", "A caixa postal do destinatário está cheia", MailboxFull),
    ("pt", "Usuário desconhecido", UserUnknown),
    ("pt", "O destinatário da mensagem não existe", UserUnknown),
    ("pt", "O domínio do destinatário não existe", HostUnknown),
    ("pl", "Skrzynka odbiorcy jest przepełniona", MailboxFull),
    ("pl", "Użytkownik o podanym adresie nie istnieje", UserUnknown),
    ("pl", "Konto zostało zawieszone", Suspend),
    ("pl", "Nie ma takiej domeny", HostUnknown),
    ("pl", "Wiadomość zbyt długa", MesgTooBig),
    ("ru", "Почтовый ящик получателя переполнен", MailboxFull),
    ("ru", "Переполненный почтовый ящик", MailboxFull),
    ("zh", "收件人空间不足", MailboxFull),
    ("zh", "该用户不存在", UserUnknown),
    ("zh", "域名不存在", HostUnknown),
    ("zh", "邮件大小超过限制", MesgTooBig),
    ("zh", "邮箱被锁", Suspend),
    ("zh", "邮件被识别为垃圾邮件", SpamDetected),
];

const RECIPIENT: &str = "mika@example.net";

/// A reply pasted from a Postfix notice: the recipient, the host, the reply, the command.
fn pasted(words: &str) -> String {
    format!("<{RECIPIENT}>: host mx.example.net[192.0.2.25] said: 550 {words} (in reply to RCPT TO command)\n")
}

/// A plain-text notice in Postfix's layout, without a delivery-status part.
fn plain_notice(words: &str) -> String {
    format!(
        "From: MAILER-DAEMON@relay.example.org (Mail Delivery System)\r\n\
         To: sender@example.org\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\
         Date: Tue, 1 Dec 2026 03:00:00 +0000\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         This is the mail system at host relay.example.org.\r\n\
         \r\n\
         I'm sorry to have to inform you that your message could not\r\n\
         be delivered to one or more recipients.\r\n\
         \r\n\
         {}",
        pasted(words).replace('\n', "\r\n")
    )
}

/// An RFC 3464 report: the reply in `Diagnostic-Code` under a status that names no cause, a
/// human-readable part ending in `footer`, and the returned message holding `returned`.
fn dsn(diagnostic: &str, status: &str, footer: &str, returned: &str) -> String {
    let action = if status.starts_with('4') { "delayed" } else { "failed" };
    format!(
        "From: MAILER-DAEMON@relay.example.org (Mail Delivery System)\r\n\
         To: sender@example.org\r\n\
         Subject: Delivery Status Notification\r\n\
         Date: Tue, 1 Dec 2026 03:00:00 +0000\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\
         \r\n\
         --b1\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         Your message could not be delivered to {RECIPIENT}.\r\n\
         \r\n\
         {footer}\r\n\
         \r\n\
         --b1\r\n\
         Content-Type: message/delivery-status\r\n\
         \r\n\
         Reporting-MTA: dns; relay.example.org\r\n\
         \r\n\
         Final-Recipient: rfc822; {RECIPIENT}\r\n\
         Action: {action}\r\n\
         Status: {status}\r\n\
         Remote-MTA: dns; mx.example.net\r\n\
         Diagnostic-Code: smtp; {diagnostic}\r\n\
         \r\n\
         --b1\r\n\
         Content-Type: message/rfc822\r\n\
         \r\n\
         From: sender@example.org\r\n\
         To: {RECIPIENT}\r\n\
         Subject: Re: unsere Nachricht\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         {returned}\r\n\
         \r\n\
         --b1--\r\n"
    )
}

fn reason_of(raw: &str) -> Option<Reason> {
    diagnose(raw.as_bytes()).deliveries.first().map(|delivery| delivery.reason)
}

#[test]
fn each_wording_names_its_cause_in_each_shape_a_server_writes() {
    let mut wrong = Vec::new();
    for &(lang, words, want) in CASES {
        let shapes = [
            ("pasted", pasted(words)),
            ("notice", plain_notice(words)),
            ("dsn", dsn(&format!("550 5.0.0 <{RECIPIENT}>: {words}"), "5.0.0", "", "Hallo")),
        ];
        for (shape, raw) in shapes {
            let got = reason_of(&raw);
            if got != Some(want) {
                wrong.push(format!("{lang} {shape}: {words:?} gave {got:?}, want {want:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {}:\n{}", wrong.len(), CASES.len() * 3, wrong.join("\n"));
}

/// qmail's notice: the remote host's reply, then the copy of the message under its separator.
fn qmail_notice(reply: &str, copy: &str) -> String {
    format!(
        "From: MAILER-DAEMON@relay.example.org\r\nTo: sender@example.org\r\nSubject: failure notice\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         Hi. This is the qmail-send program at relay.example.org.\r\n\
         I'm afraid I wasn't able to deliver your message to the following addresses.\r\n\
         This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n\
         <{RECIPIENT}>:\r\n192.0.2.25 does not like recipient.\r\n\
         Remote host said: {reply}\r\nGiving up on 192.0.2.25.\r\n\r\n\
         --- Below this line is a copy of the message.\r\n\r\n\
         From: sender@example.org\r\nTo: {RECIPIENT}\r\nSubject: Re\r\n\r\n{copy}\r\n"
    )
}

#[test]
fn the_same_words_in_the_returned_message_or_a_footer_do_not_decide() {
    // A reply that names no cause, so words leaking into the server's words would decide: each
    // shape is checked first with the words inside the reply (they must decide there), then with
    // them only in the returned message, a help footer or a quoted original (they must not).
    let vague = format!("550 5.0.0 <{RECIPIENT}>: Requested action not taken");
    for &(lang, words, cause) in CASES {
        let said = format!("{vague}: {words}");
        let footer = format!("Häufige Gründe / causes fréquentes / 常见原因: {words}");
        let shapes = [
            ("dsn, returned message", dsn(&said, "5.0.0", "", "Hallo"), dsn(&vague, "5.0.0", "", words)),
            ("dsn, help footer", dsn(&said, "5.0.0", "", "Hallo"), dsn(&vague, "5.0.0", &footer, "Hallo")),
            ("qmail, copy of the message", qmail_notice(&said, "Hallo"), qmail_notice(&vague, words)),
            ("paste, quoted message", format!("{said}\n"), format!("{vague}\n\n> {words}\n> --\n> {words}\n")),
        ];
        for (shape, control, test) in shapes {
            assert_eq!(reason_of(&control), Some(cause), "{lang} {shape}: {words:?} in the reply itself");
            let got = reason_of(&test);
            assert_ne!(got, Some(cause), "{lang} {shape}: {words:?} outside the server's words decided");
        }
    }
}

#[test]
fn ordinary_prose_with_the_same_words_is_no_refusal() {
    // Words of the rows' families inside sentences that refuse nothing, as a server's banner or
    // a reply that names another cause would carry them.
    let cases: &[(&str, Reason)] = &[
        ("550 Ihr Postfach ist vollständig eingerichtet", MailboxFull),
        ("550 5.7.1 Absenderadresse existiert nicht in unserem Verzeichnis", UserUnknown),
        ("550 La boite de votre correspondant est pleine", MailboxFull),
        ("550 Un correo lleno de errores", MailboxFull),
    ];
    for &(words, not) in cases {
        let got = reason_of(&pasted(words));
        assert_ne!(got, Some(not), "{words:?}");
    }
}

// --- The notice's own words: that a message was returned, in the notice's language ----------

/// (language, a sentence of the notice saying the message was returned, the server's words).
/// The sentences follow the wordings `RETURNED_WORDS` cites (Exchange's and Microsoft's
/// localised notices and help); the words are rows of the cause table.
const RETURNED: &[(&str, &str, &str)] = &[
    ("de", "Die Nachricht konnte nicht zugestellt werden.", "Empfänger unbekannt"),
    ("fr", "Le message n'a pas pu être remis.", "Utilisateur inconnu"),
    ("es", "No se pudo entregar a estos destinatarios o grupos:", "Usuario inexistente"),
    ("it", "Il recapito non è riuscito per i seguenti destinatari o gruppi:", "Utente sconosciuto"),
    ("it", "Il messaggio non è stato recapitato.", "Utente sconosciuto"),
    ("pt", "A mensagem não foi entregue aos seguintes destinatários:", "Usuário desconhecido"),
];

#[test]
fn a_pasted_transient_reply_under_a_returned_mail_sentence_failed() {
    // A 4xx alone is a reply the sending server retries (RFC 5321 §4.2.1); under the notice's
    // sentence that the message came back, the server gave up on it: `failed`, in each language.
    for &(lang, sentence, words) in RETURNED {
        let reply = format!("{RECIPIENT}\n451 {words}\n");
        let returned = diagnose(format!("{sentence}\n\n{reply}").as_bytes());
        let alone = diagnose(reply.as_bytes());
        let action = |report: &bounce_doctor::Report| report.deliveries.first().and_then(|d| d.action);
        assert_eq!(action(&returned), Some(bounce_doctor::Action::Failed), "{lang}: {sentence:?}");
        assert_eq!(action(&alone), Some(bounce_doctor::Action::Delayed), "{lang}: the reply alone");
        assert_eq!(returned.deliveries[0].reason, UserUnknown, "{lang}");
    }
}

/// A plain-text notice from a sender whose name says nothing of a mail system, as an
/// organisation's own Exchange sends it, under `subject`.
fn staff_notice(subject: &str, body: &str) -> String {
    format!(
        "From: Systemverwaltung <it-service@corp.example>\r\nTo: sender@example.org\r\nSubject: {subject}\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
}

#[test]
fn a_localised_notice_subject_and_the_notices_words_make_a_report() {
    // (language, Exchange's subject prefix, the notice's returned-mail sentence, the cause).
    let cases = [
        ("de", "Unzustellbar: Angebot", "Die Nachricht konnte nicht zugestellt werden.", "Empfänger unbekannt"),
        ("it", "Non recapitabile: Preventivo", "Il recapito non è riuscito per i seguenti destinatari o gruppi:", "Utente sconosciuto"),
        ("fr", "Non remis : Devis", "Le message n'a pas pu être remis.", "Utilisateur inconnu"),
        // A Chinese notice whose sentence is the English one its providers keep beside the
        // Chinese subject; the cause is one of the Chinese rows.
        ("zh", "系统退信: 报价", "Your message could not be delivered.", "该用户不存在"),
    ];
    for (lang, subject, sentence, words) in cases {
        let body = format!("{sentence}\r\n\r\n{RECIPIENT}\r\n{words}");
        let report = diagnose(staff_notice(subject, &body).as_bytes());
        assert_eq!(report.kind, bounce_doctor::Kind::Bounce, "{lang}: {subject:?}");
        assert_eq!(report.deliveries.len(), 1, "{lang}");
        assert_eq!(report.deliveries[0].recipient.as_deref(), Some(RECIPIENT), "{lang}");
        assert_eq!(report.deliveries[0].reason, UserUnknown, "{lang}");
        // Either mark alone is a letter that mentions an address: the subject of a person's
        // mail, or the sentence under a subject of its own.
        let plain_subject = subject.split_once(':').map_or(subject, |(_, rest)| rest.trim());
        let without_subject = diagnose(staff_notice(plain_subject, &body).as_bytes());
        assert_eq!(without_subject.kind, bounce_doctor::Kind::NotABounce, "{lang}: without the subject's word");
        let without_sentence = diagnose(staff_notice(subject, &format!("{RECIPIENT}\r\n{words}")).as_bytes());
        assert_eq!(without_sentence.kind, bounce_doctor::Kind::NotABounce, "{lang}: without the notice's sentence");
    }
}
