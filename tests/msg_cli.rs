//! Outlook `.msg` input through the command-line tool: files built here with the `cfb` crate, and
//! the real `.msg` files of `../shared/corpus/msg` (skipped with a message when absent).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/msg_build.rs"]
mod msg_build;

const BIN: &str = env!("CARGO_BIN_EXE_bounce-doctor");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/msg");

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).env_remove("LANG").env_remove("LC_ALL").output().unwrap()
}

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout).lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bounce-doctor-msg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_msg_is_told_by_its_content_in_a_directory_and_a_cut_one_exits_2() {
    let dir = scratch("dir");
    let whole = msg_build::bounce("hanako@dest.example").build();
    // No .msg extension: the signature decides.
    std::fs::write(dir.join("a-returned-mail"), &whole).unwrap();
    std::fs::write(dir.join("b-cut.msg"), &whole[..whole.len() / 2 + 100]).unwrap();
    let output = run(&["--json", dir.to_str().unwrap()]);
    let reports = json_lines(&output);
    assert_eq!(reports.len(), 2, "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(reports[0]["kind"], "bounce");
    assert_eq!(reports[0]["deliveries"][0]["recipient"], "hanako@dest.example");
    assert_eq!(reports[0]["deliveries"][0]["reason"], "userunknown");
    assert_eq!(reports[1]["notes"][0], "msg-damaged");
    assert_eq!(output.status.code(), Some(2), "a cut-short .msg makes the exit status 2");
    // The whole one alone: status 0; its text names the reason in the chosen language.
    let alone = run(&["--lang", "ja", dir.join("a-returned-mail").to_str().unwrap()]);
    assert_eq!(alone.status.code(), Some(0));
    let cut = run(&["--lang", "ja", dir.join("b-cut.msg").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&cut.stdout).contains("壊れているか途中で切れている"), "{}", String::from_utf8_lossy(&cut.stdout));
    let _ = std::fs::remove_dir_all(dir);
}

/// A delivery the README names: recipient, and the reason when it states one.
type Named = Option<(&'static str, Option<&'static str>)>;

/// What the corpus README states about each file: kind, and the failed recipient and reason
/// where it names one.
const EXPECTED: &[(&str, &str, Named)] = &[
    ("Aspose.Email-for-.NET-failed.msg", "bounce", Some(("mmmmm@aspose.com", Some("userunknown")))),
    ("msg_parser-other.msg", "bounce", Some(("hp_lsz@tjdpf.org.cn", None))),
    ("outlook-message-parser-forward with attachments and embedded images.msg", "delay", Some(("Darren.vuzzo@myfloridalicence.com", None))),
    ("msgreader-newOutlook Microsoft Outlook test.msg", "not-a-bounce", None),
    ("msgreader-nonUnicodeCP932.msg", "not-a-bounce", None),
    ("msgreader-Attach sample eml sent.msg", "not-a-bounce", None),
    ("msgreader-Attach sample eml received.msg", "not-a-bounce", None),
    ("email-outlook-message-perl-plain_uc_unsent.msg", "not-a-bounce", None),
    ("email-outlook-message-perl-plain_unsent.msg", "not-a-bounce", None),
    ("poi-cyrillic_message.msg", "not-a-bounce", None),
];

#[test]
fn the_corpus_msg_files_are_read_like_the_mail_they_were() {
    if !Path::new(CORPUS).is_dir() {
        eprintln!("skipped: {CORPUS} is absent");
        return;
    }
    for (name, kind, delivery) in EXPECTED {
        let path = Path::new(CORPUS).join(name);
        let output = run(&["--json", path.to_str().unwrap()]);
        let report = &json_lines(&output)[0];
        assert_eq!(report["kind"], *kind, "{name}");
        assert!(report.get("notes").is_none(), "{name}: {:?}", report["notes"]);
        if let Some((recipient, reason)) = delivery {
            let found = report["deliveries"].as_array().unwrap().iter().find(|d| d["recipient"] == *recipient);
            let found = found.unwrap_or_else(|| panic!("{name}: no delivery for {recipient}: {report}"));
            if let Some(reason) = reason {
                assert_eq!(found["reason"], *reason, "{name}");
            }
        }
        assert_eq!(output.status.code(), Some(if *kind == "not-a-bounce" { 1 } else { 0 }), "{name}");
    }
}

#[test]
fn the_corpus_strings_decode_in_their_code_pages() {
    if !Path::new(CORPUS).is_dir() {
        eprintln!("skipped: {CORPUS} is absent");
        return;
    }
    let read = |name: &str| bounce_doctor::message::read(&std::fs::read(Path::new(CORPUS).join(name)).unwrap());
    // ANSI strings in cp932, named by no code page property but the Japanese locale.
    let cp932 = read("msgreader-nonUnicodeCP932.msg");
    assert_eq!(cp932.subject(), "日本語 Non Unicode タイトル");
    assert!(cp932.body.contains("日本語 Non Unicode 本文"), "{}", cp932.body);
    // Unicode strings with a stored terminator, and an HTML-only body in UTF-8.
    let html = read("msgreader-newOutlook Microsoft Outlook test.msg");
    assert!(html.body.contains("Microsoft Outlook から自動送信されたものです"), "{}", html.body);
    // ANSI and Unicode twins read alike.
    let (ansi, unicode) = (read("email-outlook-message-perl-plain_unsent.msg"), read("email-outlook-message-perl-plain_uc_unsent.msg"));
    assert_eq!(ansi.subject(), "Test for MSGConvert -- plain text");
    assert_eq!((ansi.subject(), ansi.body.trim()), (unicode.subject(), unicode.body.trim()));
    // cp1251 body.
    assert!(read("poi-cyrillic_message.msg").body.contains("Сообщение сгенерировано автоматически"));
    // The embedded .eml of the received twin, and the one attached by value in the sent one.
    for name in ["msgreader-Attach sample eml received.msg", "msgreader-Attach sample eml sent.msg"] {
        assert!(read(name).returned_headers.unwrap_or_default().contains("sample"), "{name}");
    }
}

/// Writes the `msg` fuzz target's seeds (fuzz/seeds/msg): run with
/// `MSG_SEEDS=fuzz/seeds/msg cargo test --test msg_cli -- --ignored`.
#[test]
#[ignore = "writes files; run by hand to refresh the fuzz seeds"]
fn write_fuzz_seeds() {
    let Some(dir) = std::env::var_os("MSG_SEEDS") else { return };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    use msg_build::{Attach, Msg, Props};
    let bounce = msg_build::bounce("hanako@dest.example");
    let ansi = Msg::new(
        Props::default().long(0x3ff1, 1041).ansi(0x001a, b"IPM.Note").ansi(0x0037, b"\x94\x7a\x90\x4d\x95\x73\x94\x5c").ansi(0x1000, b"550 5.1.1 user unknown").ansi(0x5d01, b"postmaster@a.example"),
    )
    .to("Taro", "taro@b.example");
    let rtf_only = Msg::new(Props::default().unicode(0x0037, "rtf").binary(0x1009, &[
        0x23, 0, 0, 0, 0x22, 0, 0, 0, b'L', b'Z', b'F', b'u', 0x33, 0x5c, 0xe8, 0x74, 0x03, 0x00, 0x0a, 0x00, 0x72, b'c', b'p', b'g', b'1', b'2', b'5', 0x92, b'2', 0x0a, 0xf3, b' ', b't', 0x07, 0x90, b't', b'}', 0x0f, 0x10,
    ]));
    let html = Msg::new(Props::default().long(0x3fde, 65001).unicode(0x0037, "html").binary(0x1013, b"<p>Delivery to <b>a@b.example</b> failed: 552 mailbox full</p>"));
    let nested = Msg::new(Props::default().unicode(0x0037, "outer")).attach(Attach::Embedded(Props::default(), Box::new(bounce.clone())));
    for (name, msg) in [("bounce.msg", &bounce), ("ansi-cp932.msg", &ansi), ("rtf-only.msg", &rtf_only), ("html-only.msg", &html), ("nested.msg", &nested)] {
        std::fs::write(dir.join(name), msg.build()).unwrap();
    }
}
