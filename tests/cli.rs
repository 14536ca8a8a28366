//! Runs the built command-line tool on inputs of every kind and checks its output and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_bounce-doctor");

const ERS_BOUNCE: &str = "From: MAILER-DAEMON@mail.example.co.jp (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\nTo: taro@example.co.jp\nDate: Mon, 20 Nov 2023 10:00:05 +0900\n\n<hanako@partner.example.com>: host mx.partner.example.com[198.51.100.25] said:\n    550 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using\n    Trend Micro RBL+. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.5\n    (in reply to RCPT TO command)\n";
const USER_UNKNOWN: &str = "From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\nDate: Mon, 20 Nov 2023 10:00:05 +0900\n\n<nobody@partner.example.com>: host mx.partner.example.com[198.51.100.25] said:\n    550 5.1.1 <nobody@partner.example.com>: Recipient address rejected: User unknown\n    (in reply to RCPT TO command)\n";
const NOT_A_BOUNCE: &str = "From: friend@example.org\nTo: me@example.org\nSubject: lunch\nDate: Mon, 20 Nov 2023 10:00:05 +0900\n\nNoon at the usual place?\n";

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("bounce-doctor-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn json_lines_follow_the_contract_in_input_order() {
    let scratch = Scratch::new("json");
    let a = scratch.file("a.eml", ERS_BOUNCE.as_bytes());
    let b = scratch.file("b.eml", USER_UNKNOWN.as_bytes());
    let output = run(&["--json", path(&a), path(&b)], None);
    assert_eq!(output.status.code(), Some(0));
    let reports = json_lines(&output);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["source"], path(&a));
    assert_eq!(reports[1]["source"], path(&b));
    let first = &reports[0]["deliveries"][0];
    assert_eq!(first["recipient"], "hanako@partner.example.com");
    assert_eq!(first["reply_code"], "550");
    assert_eq!(first["blocklist"]["provider"], "trendmicro-ers");
    assert_eq!(first["blocklist"]["ip"], "203.0.113.5");
    assert_eq!(reports[1]["deliveries"][0]["reason"], "userunknown");
    assert_eq!(reports[1]["deliveries"][0]["hard_bounce"], true);
    for report in &reports {
        for field in ["kind", "deliveries", "advice"] {
            assert!(report.get(field).is_some(), "{field} missing");
        }
    }
}

#[test]
fn stdin_is_read_when_no_path_or_dash_is_given() {
    for args in [&["--json"][..], &["--json", "-"][..]] {
        let output = run(args, Some(USER_UNKNOWN.as_bytes()));
        let reports = json_lines(&output);
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0]["source"], "-");
        assert_eq!(output.status.code(), Some(0));
    }
}

#[test]
fn mbox_messages_are_numbered_and_tricky_lines_do_not_split() {
    let scratch = Scratch::new("mbox");
    let mut mbox = String::new();
    mbox.push_str("From MAILER-DAEMON Mon Nov 20 10:00:05 2023\n");
    mbox.push_str(ERS_BOUNCE);
    mbox.push_str("\nFrom the desk of the postmaster, a paragraph that starts like a separator\n>From an escaped line\n\n");
    mbox.push_str("From MAILER-DAEMON Mon Nov 20 10:00:06 2023\n");
    mbox.push_str(&USER_UNKNOWN.replace('\n', "\r\n"));
    let file = scratch.file("bounces.mbox", mbox.as_bytes());
    let output = run(&["--json", path(&file)], None);
    let reports = json_lines(&output);
    assert_eq!(reports.len(), 2, "{}", String::from_utf8_lossy(&output.stdout));
    assert_eq!(reports[0]["source"], format!("{}#1", path(&file)));
    assert_eq!(reports[1]["source"], format!("{}#2", path(&file)));
    assert_eq!(reports[1]["deliveries"][0]["reason"], "userunknown");
}

#[test]
fn an_mbox_with_old_mac_line_ends_is_split_too() {
    let scratch = Scratch::new("mac");
    let text = format!("From a Mon Nov 20 10:00:05 2023\n{ERS_BOUNCE}\nFrom b Mon Nov 20 10:00:06 2023\n{USER_UNKNOWN}").replace('\n', "\r");
    let file = scratch.file("mac.mbox", text.as_bytes());
    let reports = json_lines(&run(&["--json", path(&file)], None));
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[1]["deliveries"][0]["recipient"], "nobody@partner.example.com");
}

#[test]
fn an_eml_file_is_one_message_even_with_from_lines() {
    let scratch = Scratch::new("eml");
    let text = format!("From MAILER-DAEMON Mon Nov 20 10:00:05 2023\n{USER_UNKNOWN}\nFrom x Mon Nov 20 10:00:06 2023\nquoted original\n");
    let file = scratch.file("one.eml", text.as_bytes());
    let reports = json_lines(&run(&["--json", path(&file)], None));
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["source"], path(&file));
}

#[test]
fn maildir_tree_is_walked_without_tmp() {
    let scratch = Scratch::new("maildir");
    scratch.file("Maildir/cur/1.host:2,S", ERS_BOUNCE.as_bytes());
    scratch.file("Maildir/new/2.host", USER_UNKNOWN.as_bytes());
    scratch.file("Maildir/tmp/3.host", b"half written");
    let output = run(&["--json", path(&scratch.0.join("Maildir"))], None);
    let reports = json_lines(&output);
    let sources: Vec<_> = reports.iter().map(|r| r["source"].as_str().unwrap().to_owned()).collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources[0].ends_with("cur/1.host:2,S") && sources[1].ends_with("new/2.host"));
}

#[cfg(unix)]
#[test]
fn a_directory_reached_again_through_a_symlink_is_walked_once() {
    let scratch = Scratch::new("symlink-loop");
    scratch.file("box/one.eml", USER_UNKNOWN.as_bytes());
    scratch.file("box/sub/two.eml", ERS_BOUNCE.as_bytes());
    let dir = scratch.0.join("box");
    std::os::unix::fs::symlink(".", dir.join("self")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub").join("up")).unwrap();
    let output = run(&["--json", path(&dir)], None);
    let sources: Vec<String> = json_lines(&output).iter().map(|r| r["source"].as_str().unwrap().to_owned()).collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources[0].ends_with("box/one.eml") && sources[1].ends_with("box/sub/two.eml"), "{sources:?}");
    let summary = String::from_utf8(run(&["--summary", "--lang", "en", path(&dir)], None).stdout).unwrap();
    assert!(summary.starts_with("2 messages, 2 deliveries"), "{summary}");
}

#[test]
fn a_batch_goes_on_past_unreadable_and_binary_inputs() {
    let scratch = Scratch::new("batch");
    let good = scratch.file("good.eml", USER_UNKNOWN.as_bytes());
    let binary = scratch.file("image.png", &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    let missing = scratch.0.join("missing.eml");
    let output = run(&["--json", path(&good), path(&binary), path(&missing)], None);
    assert_eq!(output.status.code(), Some(2), "an unreadable input makes the exit status 2");
    let reports = json_lines(&output);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[1]["kind"], "not-a-bounce");
    assert_eq!(reports[1]["notes"][0], "binary");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("missing.eml"), "{stderr}");
}

#[test]
fn exit_status_is_1_when_some_input_is_no_bounce() {
    let scratch = Scratch::new("exit1");
    let good = scratch.file("good.eml", USER_UNKNOWN.as_bytes());
    let plain = scratch.file("plain.eml", NOT_A_BOUNCE.as_bytes());
    assert_eq!(run(&[path(&good)], None).status.code(), Some(0));
    assert_eq!(run(&[path(&good), path(&plain)], None).status.code(), Some(1));
    assert_eq!(run(&[], Some(b"")).status.code(), Some(1), "empty stdin is no bounce");
}

/// An mbox of an incident: three Trend Micro ERS refusals of one IP, one unknown recipient.
fn incident_mbox(scratch: &Scratch) -> PathBuf {
    let mut mbox = String::new();
    for n in 0..3 {
        mbox.push_str(&format!("From MAILER-DAEMON Mon Nov 20 10:00:0{n} 2023\n{ERS_BOUNCE}\n"));
    }
    mbox.push_str(&format!("From MAILER-DAEMON Mon Nov 20 10:00:09 2023\n{USER_UNKNOWN}\n"));
    scratch.file("incident.mbox", mbox.as_bytes())
}

#[test]
fn summary_groups_by_reason_provider_and_ip() {
    let scratch = Scratch::new("summary");
    let file = incident_mbox(&scratch);
    let text = String::from_utf8(run(&["--summary", "--lang", "en", path(&file)], None).stdout).unwrap();
    assert!(text.starts_with("4 messages, 4 deliveries"), "{text}");
    let first = text.lines().nth(1).unwrap();
    assert!(first.contains("3 ×") && first.contains("Trend Micro") && first.contains("203.0.113.5"), "{first}");
    let json = json_lines(&run(&["--summary", "--json", path(&file)], None));
    assert_eq!(json[0]["summary"]["groups"][0]["count"], 3);
    assert_eq!(json[0]["summary"]["groups"][1]["reason"], "userunknown");
}

#[test]
fn summary_by_step_counts_the_messages_calling_for_each_step() {
    let scratch = Scratch::new("summary-by-step");
    let file = incident_mbox(&scratch);
    let json = json_lines(&run(&["--summary", "--by", "step", "--json", path(&file)], None));
    let summary = &json[0]["summary"];
    assert_eq!(summary["by"], "step");
    assert_eq!(summary["messages"], 4);
    let groups = summary["groups"].as_array().unwrap();
    // Each of the three ERS refusals calls for a delisting of the same IP; the unknown
    // recipient for the address to be fixed.
    let delisting = groups.iter().find(|g| g["step"] == "request-delisting").expect("a delisting step");
    assert_eq!((delisting["count"].as_u64(), delisting["ip"].as_str()), (Some(3), Some("203.0.113.5")));
    assert_eq!(groups.iter().find(|g| g["step"] == "fix-address").map(|g| g["count"].as_u64()), Some(Some(1)));
    assert_eq!(groups[0]["count"], 3, "largest first");
    for (lang, title) in [("en", "Messages by the steps of their plan"), ("ja", "対処の手順ごとのメッセージ数")] {
        let text = String::from_utf8(run(&["--summary", "--by", "step", "--lang", lang, path(&file)], None).stdout).unwrap();
        assert!(text.lines().nth(1).is_some_and(|l| l.starts_with(title)), "{text}");
        assert!(text.contains("(request-delisting)") && text.contains("203.0.113.5") && text.contains("(fix-address)"), "{text}");
    }
    // Grouping needs the summary; the default stays grouped by cause.
    assert_eq!(run(&["--by", "step", path(&file)], None).status.code(), Some(2));
    assert_eq!(json_lines(&run(&["--summary", "--json", path(&file)], None))[0]["summary"]["by"], "cause");
}

#[test]
fn a_delay_with_no_named_cause_reads_as_still_retrying_everywhere() {
    // A Postfix-style warning without headers: a 4.4.7 status names no cause, and nothing gave up.
    let delay = b"This is the mail system at host relay.example.net.\n\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n\nYour message could not be delivered for more than 4 hour(s).\n\n<sora@slow.example>: host mx.slow.example[198.51.100.7] said: 451 4.4.7\n    Message delayed (in reply to end of DATA command)\n";
    let json = json_lines(&run(&["--json"], Some(delay)));
    let delivery = &json[0]["deliveries"][0];
    assert_eq!((&delivery["action"], &delivery["reason"], &delivery["cause"]), (&"delayed".into(), &"expired".into(), &"unexplained-delay".into()), "{delivery}");
    for lang in ["en", "ja"] {
        for args in [vec!["--lang", lang], vec!["--summary", "--lang", lang]] {
            let text = String::from_utf8(run(&args, Some(delay)).stdout).unwrap();
            assert!(!text.contains("gave up") && !text.contains("あきらめ"), "{args:?}: {text}");
            assert!(text.contains("has not said why yet") || text.contains("まだ理由を示さず"), "{args:?}: {text}");
        }
    }
}

#[test]
fn language_comes_from_the_option_or_lang() {
    let ja = run(&["--lang", "ja"], Some(ERS_BOUNCE.as_bytes()));
    let text = String::from_utf8(ja.stdout).unwrap();
    assert!(text.contains("送信元サーバーのIP 203.0.113.5"), "{text}");
    let env_ja = Command::new(BIN).env("LANG", "ja_JP.UTF-8").arg("-").stdin(Stdio::null()).output().unwrap();
    assert!(String::from_utf8(env_ja.stdout).unwrap().contains(&bounce_doctor::i18n::text(bounce_doctor::Lang::Ja, "cli.empty")));
    let en = String::from_utf8(run(&["--lang", "en"], Some(ERS_BOUNCE.as_bytes())).stdout).unwrap();
    assert!(en.contains("Request removal") && en.contains("https://servicecentral.trendmicro.com/"), "{en}");
}

#[test]
fn no_colour_codes_when_piped_or_with_no_color() {
    let piped = run(&[], Some(ERS_BOUNCE.as_bytes()));
    assert!(!piped.stdout.is_empty() && !piped.stdout.contains(&0x1b));
    let no_color = Command::new(BIN).env("NO_COLOR", "1").arg("-").stdin(Stdio::null()).output().unwrap();
    assert!(!no_color.stdout.contains(&0x1b));
}

#[test]
fn help_documents_every_option_with_an_example() {
    let help = String::from_utf8(run(&["--help"], None).stdout).unwrap();
    for option in ["--json", "--summary", "--by", "--lang", "--jobs"] {
        assert!(help.contains(option), "{option}");
    }
    assert!(help.matches("Example: bounce-doctor").count() >= 5, "{help}");
    assert!(help.contains("Exit status"));
    assert_eq!(run(&["--no-such-option"], None).status.code(), Some(2));
}

#[test]
fn one_worker_gives_the_same_output_as_many() {
    let scratch = Scratch::new("jobs");
    let files: Vec<PathBuf> = (0..20)
        .map(|n| scratch.file(&format!("{n:02}.eml"), if n % 2 == 0 { ERS_BOUNCE } else { USER_UNKNOWN }.as_bytes()))
        .collect();
    let mut args: Vec<&str> = vec!["--json"];
    args.extend(files.iter().map(|f| path(f)));
    let many = run(&args, None).stdout;
    args.extend(["--jobs", "1"]);
    assert_eq!(run(&args, None).stdout, many);
}

#[test]
fn an_empty_file_is_said_to_be_empty_in_the_clis_own_words() {
    let scratch = Scratch::new("empty-words");
    let file = scratch.file("empty.eml", b"");
    for lang in ["en", "ja"] {
        let out = run(&["--lang", lang, path(&file)], None);
        let text = String::from_utf8(out.stdout).unwrap();
        let catalogue = if lang == "en" { bounce_doctor::Lang::En } else { bounce_doctor::Lang::Ja };
        assert!(text.contains(&bounce_doctor::i18n::text(catalogue, "cli.empty")), "{text}");
        // The page's wording (paste, choose a file) is not the CLI's.
        assert!(!text.contains(&bounce_doctor::i18n::text(catalogue, "note.empty")), "{text}");
        assert_eq!(out.status.code(), Some(1));
    }
}

#[test]
fn summary_tells_a_returned_delivery_from_one_still_retried() {
    let scratch = Scratch::new("summary-outcome");
    // The same cause (no reverse DNS name, Postfix's reject_unknown_client_hostname) once as a
    // deferral (450, the default unknown_client_reject_code) and once as a return (550).
    let notice = |code: &str, status: &str, subject: &str| {
        format!(
            "From MAILER-DAEMON Mon Nov 20 10:00:09 2023\nFrom: MAILER-DAEMON@mail.example.org (Mail Delivery System)\nSubject: {subject}\nDate: Mon, 20 Nov 2023 10:00:05 +0900\n\n<a@partner.example.com>: host mx.partner.example.com[198.51.100.25] said:\n    {code} {status} Client host rejected: cannot find your hostname, [192.0.2.7]\n    (in reply to RCPT TO command)\n\n"
        )
    };
    let mbox = notice("450", "4.7.25", "Delayed Mail (still being retried)") + &notice("550", "5.7.25", "Undelivered Mail Returned to Sender");
    let file = scratch.file("ptr.mbox", mbox.as_bytes());
    let json = json_lines(&run(&["--summary", "--json", path(&file)], None));
    let groups = json[0]["summary"]["groups"].as_array().unwrap().clone();
    assert_eq!(groups.len(), 2, "{groups:?}");
    let of = |outcome: &str| groups.iter().find(|g| g["outcome"] == outcome).unwrap_or_else(|| panic!("{outcome}: {groups:?}")).clone();
    assert_eq!(of("retrying")["first_step"], "do-not-resend");
    assert_ne!(of("returned")["first_step"], "do-not-resend");
    let text = String::from_utf8(run(&["--summary", "--lang", "en", path(&file)], None).stdout).unwrap();
    assert!(text.contains("· returned") && text.contains("· still retrying"), "{text}");
}

#[test]
fn summary_calls_an_auto_reply_neither_returned_nor_retried() {
    let scratch = Scratch::new("summary-not-returned");
    // An RFC 3834 auto-reply and an RFC 3464 success report: nothing failed, nothing waits.
    let autoreply = "From MAILER-DAEMON Mon Nov 20 10:00:09 2023\nFrom: Hanako <hanako@partner.example.com>\nTo: taro@example.org\nSubject: Out of office: hello\nAuto-Submitted: auto-replied\nDate: Mon, 20 Nov 2023 10:00:05 +0900\n\nI am out of the office until Monday and will reply when I am back.\n\n";
    let delivered = "From MAILER-DAEMON Mon Nov 20 10:01:09 2023\nFrom: MAILER-DAEMON@mail.example.org (Mail Delivery System)\nSubject: Successful Mail Delivery Report\nDate: Mon, 20 Nov 2023 10:01:05 +0900\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nYour message was successfully delivered.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\n\nFinal-Recipient: rfc822; ken@partner.example.com\nAction: delivered\nStatus: 2.0.0\n\n--b--\n\n";
    let file = scratch.file("replies.mbox", format!("{autoreply}{delivered}").as_bytes());
    let json = json_lines(&run(&["--summary", "--json", path(&file)], None));
    let groups = json[0]["summary"]["groups"].as_array().unwrap().clone();
    let outcomes: Vec<&str> = groups.iter().map(|g| g["outcome"].as_str().unwrap()).collect();
    assert!(outcomes.contains(&"not-a-bounce") && outcomes.contains(&"delivered"), "{groups:?}");
    assert!(!outcomes.contains(&"returned") && !outcomes.contains(&"retrying"), "{groups:?}");
    for (lang, catalogue) in [("en", bounce_doctor::Lang::En), ("ja", bounce_doctor::Lang::Ja)] {
        let text = String::from_utf8(run(&["--summary", "--lang", lang, path(&file)], None).stdout).unwrap();
        let said = |key: &str| text.contains(&format!("· {}", bounce_doctor::i18n::text(catalogue, key)));
        assert!(said("cli.summary.not-a-bounce") && said("cli.summary.delivered"), "{text}");
        assert!(!said("cli.summary.returned"), "{text}");
    }
}
