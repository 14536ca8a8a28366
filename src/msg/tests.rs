//! The `.msg` reader on files built here with the `cfb` crate (tests/support/msg_build.rs).

use super::*;
use crate::report::{Kind, Note, Reason};

#[path = "../../tests/support/msg_build.rs"]
mod build;

use build::{Attach, Msg, Props};

fn read(raw: &[u8]) -> crate::message::Mail {
    crate::message::read(raw)
}

#[test]
fn a_bounce_in_a_msg_gives_the_report_its_eml_gives() {
    let from_msg = crate::diagnose(&build::bounce("hanako@dest.example").build());
    let from_eml = crate::diagnose(&build::bounce_eml("hanako@dest.example"));
    assert_eq!(from_msg.kind, Kind::Bounce);
    assert_eq!(from_msg.deliveries[0].recipient.as_deref(), Some("hanako@dest.example"));
    assert_eq!(from_msg.deliveries[0].reason, Reason::UserUnknown);
    assert!(from_msg.notes.is_empty(), "{:?}", from_msg.notes);
    // The same deliveries, evidence spans included, and the same decoder.
    assert_eq!(serde_json::to_value(&from_msg).unwrap(), serde_json::to_value(&from_eml).unwrap());
}

#[test]
fn transport_headers_are_kept_and_the_body_is_written_anew() {
    let mail = read(&build::bounce("a@dest.example").build());
    assert_eq!(mail.subject(), "Undeliverable: quarterly figures");
    assert_eq!(mail.header("return-path"), Some("<>"));
    assert!(mail.header("content-type").unwrap().starts_with("multipart/report"));
    assert!(mail.body.starts_with("Delivery has failed to these recipients or groups:"));
    assert_eq!(mail.status.len(), 1);
    assert!(mail.status[0].contains("Final-Recipient: rfc822;a@dest.example"));
    // The embedded returned message became the message/rfc822 part.
    assert!(mail.returned_headers.as_deref().unwrap_or("").contains("Subject: quarterly figures"));
}

#[test]
fn without_transport_headers_the_headers_come_from_the_properties() {
    // An ANSI (001E) message in cp932, code page from the Japanese locale (PR_INTERNET_CPID is
    // ISO-2022-JP, which says nothing about the stored strings).
    let subject = encoding_rs::SHIFT_JIS.encode("配信不能: 見積書").0.into_owned();
    let body = encoding_rs::SHIFT_JIS.encode("次の宛先への配信に失敗しました。").0.into_owned();
    // 2026-11-30 00:00:00 UTC.
    let filetime = (1_795_996_800u64 + 11_644_473_600) * 10_000_000;
    let msg = Msg::new(
        Props::default()
            .long(0x3fde, 50220)
            .long(0x3ff1, 1041)
            .time(0x0039, filetime)
            .ansi(0x001a, b"IPM.Note")
            .ansi(0x0037, &subject)
            .ansi(0x1000, &body)
            .ansi(0x0c1a, b"Postmaster")
            .ansi(0x5d01, b"postmaster@a.example")
            // An Exchange X.500 name is no Internet address.
            .ansi(0x0c1f, b"/O=EXAMPLE/OU=EXCHANGE/CN=POSTMASTER"),
    )
    .to("Taro \"T\" Yamada", "taro@b.example");
    let mail = read(&msg.build());
    assert_eq!(mail.subject(), "配信不能: 見積書");
    assert_eq!(mail.body, "次の宛先への配信に失敗しました。");
    assert!(mail.from().contains("Postmaster") && mail.from().contains("<postmaster@a.example>"), "{}", mail.from());
    assert!(mail.header("to").unwrap().contains("taro@b.example"));
    assert_eq!(mail.header("date").map(|d| d.contains("2026")), Some(true));
}

#[test]
fn an_html_only_body_is_read_as_html() {
    let msg = Msg::new(Props::default().long(0x3fde, 65001).unicode(0x0037, "hi").binary(0x1013, "<html><body><p>Delivery to <b>a@b.example</b> failed</p></body></html>".as_bytes()));
    let mail = read(&msg.build());
    assert!(mail.body.contains("Delivery to a@b.example failed"), "{:?}", mail.body);
    assert!(!mail.body.contains("<b>"));
}

#[test]
fn a_compressed_rtf_body_is_used_when_there_is_no_other() {
    // The stored ("MELA") form: the RTF below, de-encapsulated from \fromtext.
    let rtf = br"{\rtf1\ansi\ansicpg1251\fromtext \deff0{\fonttbl{\f0 Arial;}}\'cf\'ee\'f7\'f2\'e0\par}";
    let data = super::rtf::tests::mela(rtf);
    let mail = read(&Msg::new(Props::default().unicode(0x0037, "x").binary(0x1009, &data)).build());
    assert_eq!(mail.body.trim(), "Почта");
}

#[test]
fn embedded_messages_nest_and_are_cut_at_a_fixed_depth() {
    let mut msg = Msg::new(Props::default().unicode(0x0037, "innermost").unicode(0x1000, "deep"));
    for level in 0..12 {
        msg = Msg::new(Props::default().unicode(0x0037, &format!("level {level}")).unicode(0x1000, "body")).attach(Attach::Embedded(Props::default(), Box::new(msg)));
    }
    let converted = to_mime(&msg.build());
    assert_eq!(converted.problem, None);
    let mime = String::from_utf8(converted.mime.unwrap()).unwrap();
    assert!(mime.contains("Subject: level 11"));
    assert!(mime.contains("Subject: level 4"));
    // MAX_DEPTH levels in all: deeper ones are left out, not followed.
    assert!(!mime.contains("Subject: level 3"));
    assert!(!mime.contains("innermost"));
}

#[test]
fn an_attached_eml_by_value_becomes_a_message_part_and_pictures_are_left_out() {
    let msg = Msg::new(Props::default().unicode(0x0037, "fwd").unicode(0x1000, "see attached"))
        .attach(Attach::ByValue(Props::default().unicode(0x3707, "sample.eml").binary(0x3701, b"From: a@b.example\r\nSubject: sample\r\n\r\nhello\r\n")))
        .attach(Attach::ByValue(Props::default().unicode(0x370e, "image/png").unicode(0x3707, "image001.png").binary(0x3701, b"\x89PNG\r\n\x1a\n")));
    let mime = String::from_utf8(to_mime(&msg.build()).mime.unwrap()).unwrap();
    assert!(mime.contains("Content-Type: message/rfc822; name=\"sample.eml\"\nContent-Transfer-Encoding: 8bit\n\nFrom: a@b.example"));
    assert!(!mime.contains("PNG"));
}

#[test]
fn a_part_holding_the_boundary_gets_another_one() {
    let msg = Msg::new(Props::default().unicode(0x0037, "x").unicode(0x1000, "--=_bounce-doctor-msg-0\nfake"));
    let mime = String::from_utf8(to_mime(&msg.build()).mime.unwrap()).unwrap();
    assert!(mime.contains("boundary=\"=_bounce-doctor-msg-0_\""));
    assert_eq!(read(&msg.build()).body, "--=_bounce-doctor-msg-0\nfake");
}

#[test]
fn a_word_document_is_a_compound_file_but_not_mail() {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    std::io::Write::write_all(&mut file.create_stream("/WordDocument").unwrap(), &[0xec, 0xa5, 0xc1, 0x00]).unwrap();
    file.create_stream("/1Table").unwrap();
    let raw = file.into_inner().into_inner();
    let report = crate::diagnose(&raw);
    assert_eq!(report.kind, Kind::NotABounce);
    assert_eq!(report.notes, vec![Note::MsgNotMail]);
}

#[test]
fn a_truncated_msg_is_noted_as_damaged_at_every_cut() {
    let raw = build::bounce("hanako@dest.example").build();
    // Cuts inside a sector and at sector ends (512 bytes in version 3).
    for cut in (0..raw.len()).step_by(509).chain((512..raw.len()).step_by(512)).chain([raw.len() - 1]) {
        let report = crate::diagnose(&raw[..cut]);
        assert!(report.notes.contains(&Note::MsgDamaged) || cut < SIGNATURE.len(), "cut at {cut}: {:?}", report.notes);
    }
}

/// The offset of the directory entry named `name` (UTF-16LE at the entry's start).
fn directory_entry(raw: &[u8], name: &str) -> usize {
    let encoded: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    raw.windows(encoded.len()).position(|w| w == encoded.as_slice()).expect("entry")
}

#[test]
fn a_cycle_in_the_directory_tree_neither_hangs_nor_panics() {
    let raw = build::bounce("a@b.example").build();
    // Point an entry's child and sibling links ([MS-CFB] §2.6.1, at 0x44/0x48/0x4C) at the
    // root and at itself.
    for name in ["__substg1.0_0037001F", "__attach_version1.0_#00000000", "Root Entry"] {
        for link in [0x44, 0x48, 0x4c] {
            for target in [0u32, 1, 2] {
                let mut bad = raw.clone();
                let at = directory_entry(&bad, name) + link;
                bad[at..at + 4].copy_from_slice(&target.to_le_bytes());
                let report = crate::diagnose(&bad);
                let _ = report.notes;
            }
        }
    }
}

#[test]
fn a_header_claiming_huge_counts_is_refused_quickly() {
    let raw = build::bounce("a@b.example").build();
    // Number of FAT sectors (0x2C), directory sectors (0x28), mini-FAT sectors (0x40), DIFAT
    // sectors (0x48) set to the maximum.
    for field in [0x28, 0x2c, 0x40, 0x48] {
        let mut bad = raw.clone();
        bad[field..field + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        let report = crate::diagnose(&bad);
        assert_eq!(report.kind == Kind::NotABounce, report.notes.contains(&Note::MsgDamaged) || report.deliveries.is_empty(), "{field:#x}");
    }
}

#[test]
fn many_objects_are_read_up_to_a_bound() {
    let mut msg = Msg::new(Props::default().unicode(0x0037, "many").unicode(0x1000, "body"));
    for i in 0..(MAX_OBJECTS + 20) {
        msg = msg.to("", &format!("r{i}@b.example"));
    }
    let mail = read(&msg.build());
    let to = mail.header("to").unwrap();
    assert!(to.contains("r0@b.example") && !to.contains(&format!("r{}@b.example", MAX_OBJECTS + 10)));
}

#[test]
fn an_ansi_delay_notice_with_unnamed_report_parts_is_read() {
    // Exchange's delay notice as Outlook stores it in an ANSI property set: 001E transport
    // headers, and the delivery-status and returned-header parts as attachments with a MIME tag
    // but no name (the kind the corpus README describes for a kept-back file; words written here).
    let headers = b"From: postmaster@relay.example\r\nTo: sender@origin.example\r\nSubject: Delivery delayed: report\r\nDate: Mon, 11 Apr 2016 19:11:00 -0400\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\r\n\r\n";
    let status = b"Reporting-MTA: dns;relay.example\r\n\r\nFinal-Recipient: rfc822;late@dest.example\r\nAction: delayed\r\nStatus: 4.4.7\r\nDiagnostic-Code: smtp;400 4.4.7 Message delayed\r\n";
    let msg = Msg::new(
        Props::default()
            .long(0x3ffd, 1252)
            .ansi(0x001a, b"IPM.Note")
            .ansi(0x0037, b"Delivery delayed: report")
            .ansi(0x007d, headers)
            .ansi(0x1000, b"Delivery is delayed to these recipients or groups:\r\n\r\nlate@dest.example\r\n"),
    )
    .attach(Attach::ByValue(Props::default().ansi(0x370e, b"message/delivery-status").binary(0x3701, status)))
    .attach(Attach::ByValue(Props::default().ansi(0x370e, b"text/rfc822-headers").binary(0x3701, b"From: sender@origin.example\r\nTo: late@dest.example\r\nSubject: report\r\n")));
    let report = crate::diagnose(&msg.build());
    assert_eq!(report.kind, Kind::Delay);
    assert_eq!(report.deliveries[0].recipient.as_deref(), Some("late@dest.example"));
    assert_eq!(report.deliveries[0].status.as_deref(), Some("4.4.7"));
}
