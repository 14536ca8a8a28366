//! The page and the command line cut an input into messages by one rule: the page calls
//! `mbox::messages` on the whole input (through the wasm), the CLI streams a file through
//! `mbox::Splitter` after `mbox::is_mbox`. Here the CLI's `--json` must give the same messages,
//! named and diagnosed the same, as `mbox::messages` + `diagnose` — over inputs written here and
//! over the corpora beside the project (skipped with a message when they are absent).

use std::path::{Path, PathBuf};
use std::process::Command;

use bounce_doctor::{diagnose, mbox};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_bounce-doctor");

/// The reports the page would show for a file: its messages by the core's rule, named as the
/// page names them (`#n` only in an mbox of several).
fn page_reports(path: &Path) -> Vec<Value> {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().and_then(|n| n.to_str());
    let messages = mbox::messages(name, &bytes);
    let several = messages.len() > 1;
    messages
        .iter()
        .enumerate()
        .map(|(n, message)| {
            let mut report = diagnose(message);
            let source = path.to_string_lossy();
            report.source = Some(if several { format!("{source}#{}", n + 1) } else { source.into_owned() });
            serde_json::to_value(report).unwrap()
        })
        .collect()
}

/// The CLI's reports for the given paths (files or folders), one JSON object per message.
fn cli_reports(paths: &[PathBuf]) -> Vec<Value> {
    let output = Command::new(BIN).arg("--json").args(paths).env_remove("LANG").output().unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

fn assert_same(files: &[PathBuf], cli: &[Value]) {
    let page: Vec<Value> = files.iter().flat_map(|file| page_reports(file)).collect();
    let names = |reports: &[Value]| reports.iter().map(|r| r["source"].as_str().unwrap_or("").to_owned()).collect::<Vec<_>>();
    assert_eq!(names(&page), names(cli), "the messages differ");
    for (page, cli) in page.iter().zip(cli) {
        assert_eq!(page, cli, "the reports of {} differ", page["source"]);
    }
}

#[test]
fn the_cli_and_the_core_cut_inputs_alike() {
    let dir = std::env::temp_dir().join(format!("bounce-doctor-split-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bounce = "Subject: Undelivered Mail Returned to Sender\nFrom: MAILER-DAEMON@a.example\n\n<neko@b.example>: host mx.b.example[198.51.100.25] said: 550 5.1.1 User unknown\n";
    let two = format!("From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n{bounce}\nFrom MAILER-DAEMON Mon Sep  5 00:00:01 2022\n{bounce}");
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        // A message saved with a `From ` line that quotes its returned message mbox-style.
        ("saved.eml", two.clone().into_bytes()),
        ("two.mbox", two.clone().into_bytes()),
        ("one.mbox", format!("From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n{bounce}").into_bytes()),
        ("mac.mbox", two.replace('\n', "\r").into_bytes()),
        ("separators-only.mbox", b"From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n\n".to_vec()),
        ("plain.txt", bounce.as_bytes().to_vec()),
    ];
    let files: Vec<PathBuf> = inputs
        .iter()
        .map(|(name, content)| {
            let path = dir.join(name);
            std::fs::write(&path, content).unwrap();
            path
        })
        .collect();
    let cli: Vec<Value> = files.iter().flat_map(|file| cli_reports(std::slice::from_ref(file))).collect();
    let counts: Vec<usize> = files.iter().map(|file| page_reports(file).len()).collect();
    assert_eq!(counts, [1, 2, 1, 2, 1, 1]);
    assert_same(&files, &cli);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cli_and_the_core_cut_the_corpora_alike() {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
    let mut seen = 0;
    for set in ["sisimai", "public", "field"] {
        let folder = root.join(set).join("eml");
        let Ok(entries) = std::fs::read_dir(&folder) else {
            println!("skipped: {} is absent", folder.display());
            continue;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
        // The CLI walks a folder in name order and skips hidden files.
        files.retain(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'));
        files.sort();
        // Walked by the CLI: its sources are `folder` joined with each name, as `files` are.
        let cli = cli_reports(std::slice::from_ref(&folder));
        assert_same(&files, &cli);
        seen += files.len();
    }
    println!("{seen} corpus files cut alike");
}
