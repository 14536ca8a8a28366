//! HTML-only bounces (no text part, no report part; the recipient only in the HTML's words),
//! written here in three shapes: Exchange's "Delivery has failed to these recipients" with a
//! mailto link under a display name, a webmail provider's table layout (base64, a style sheet
//! with media queries, an inline image), a minimal one whose <style> and <script> hold decoy
//! addresses and status codes, and one that sets labels and values in table cells on source
//! lines of their own. The CLI's --json and the decoded notice the page shows must read
//! the recipient from the text and nothing from the style sheets or scripts.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_bounce-doctor");
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html-only");

/// (file, recipient, reason, status) as the server's words in each give them.
const CASES: &[(&str, &str, &str, &str)] = &[
    ("exchange.eml", "neko.tama@fabrikam.example", "userunknown", "5.1.1"),
    ("minimal.eml", "suzuki@dest.example", "userunknown", "5.1.1"),
    ("table.eml", "kato@dest.example", "userunknown", "5.1.1"),
    ("webmail.eml", "yamada.jiro@partner.example", "blocked", "5.7.1"),
];

/// Words only a style sheet or a script of the fixtures holds.
const HIDDEN: &[&str] = &["decoy", "font:", "@media", "var who", "552", "quota"];

#[test]
fn the_cli_reads_the_recipient_from_the_html_text() {
    for &(file, recipient, reason, status) in CASES {
        let path = PathBuf::from(DIR).join(file);
        let output = Command::new(BIN).arg("--json").arg(&path).env_remove("LANG").output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{file}: {}", String::from_utf8_lossy(&output.stderr));
        let json = String::from_utf8(output.stdout).unwrap();
        let report: Value = serde_json::from_str(json.trim()).unwrap();
        assert_eq!(report["kind"], "bounce", "{file}");
        let deliveries = report["deliveries"].as_array().unwrap();
        assert_eq!(deliveries.len(), 1, "{file}: {json}");
        assert_eq!(deliveries[0]["recipient"], recipient, "{file}");
        assert_eq!(deliveries[0]["reason"], reason, "{file}");
        assert_eq!(deliveries[0]["status"], status, "{file}");
        for hidden in HIDDEN {
            assert!(!json.contains(hidden), "{file}: {hidden:?} from a style sheet or script in {json}");
        }
        // Cells side by side are one line of words, as a browser shows them: the server's words
        // are the value beside their label, not the labels of every row.
        if file == "table.eml" {
            assert_eq!(deliveries[0]["diagnostic"], "550 5.1.1 no such user");
            assert_eq!(deliveries[0]["reply_code"], "550");
        }
    }
}

#[test]
fn the_decoded_notice_shows_no_style_sheet_or_script() {
    for &(file, recipient, _, _) in CASES {
        let raw = std::fs::read(PathBuf::from(DIR).join(file)).unwrap();
        let notice = bounce_doctor::message::read(&raw).readable_text();
        assert!(notice.contains(recipient), "{file}: {notice}");
        assert!(!notice.contains('<') || !notice.contains("</"), "{file}: markup left in {notice}");
        for hidden in HIDDEN {
            assert!(!notice.contains(hidden), "{file}: {hidden:?} in {notice}");
        }
    }
}
