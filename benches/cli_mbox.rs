//! The command-line tool on one large mbox: 100 000 messages cycled from the sisimai corpus,
//! generated into target/bench/ (mboxrd quoting), diagnosed with `--json` to /dev/null.
//! Throughput from the wall time; peak RSS from `/usr/bin/time -f %M`.

#[path = "support/harness.rs"]
mod harness;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use harness::{format_duration, mb, mib, read_corpus, row, skipped};

const MESSAGES: usize = 100_000;
const TARGET_MB_S: f64 = 40.0;
const TARGET_RSS_BYTES: u64 = 64 * 1024 * 1024;
const MEASURE: &str = "CLI: `--json` on a 100 000-message mbox";
const TARGET: &str = "≥ 40 MB/s, < 64 MB RSS";

fn main() {
    let cli = Path::new(harness::CRATE_ROOT).join("target/release/bounce-doctor");
    if !cli.is_file() {
        return skipped(MEASURE, "target/release/bounce-doctor is not built (`cargo build --release`)", TARGET);
    }
    let help = Command::new(&cli).arg("--help").output().map(|o| String::from_utf8_lossy(&o.stdout).to_lowercase()).unwrap_or_default();
    if !help.contains("mbox") {
        return skipped(MEASURE, "the CLI does not read mboxes yet (its --help names none)", TARGET);
    }
    let Some(files) = read_corpus("sisimai") else {
        return skipped(MEASURE, "no sisimai corpus to build the mbox from", TARGET);
    };
    let mbox = Path::new(harness::CRATE_ROOT).join("target/bench/corpus-100k.mbox");
    let bytes = match write_mbox(&mbox, &files) {
        Ok(bytes) => bytes,
        Err(error) => return skipped(MEASURE, &format!("cannot write {}: {error}", mbox.display()), TARGET),
    };
    // The mbox was just written, so it is in the page cache. A first run slower than a minute
    // is reported alone; otherwise the median of three more.
    let first = match run_cli(&cli, &mbox) {
        Ok(run) => run,
        Err(error) => return skipped(MEASURE, &error, TARGET),
    };
    let mut timed = Vec::new();
    if first.wall < Duration::from_secs(60) {
        for _ in 0..3 {
            match run_cli(&cli, &mbox) {
                Ok(run) => timed.push(run),
                Err(error) => return skipped(MEASURE, &error, TARGET),
            }
        }
    }
    let how = if timed.is_empty() { "one run" } else { "median of 3" };
    if timed.is_empty() {
        timed.push(first);
    }
    timed.sort_by_key(|run| run.wall);
    let median = &timed[timed.len() / 2];
    let mb_s = mb(bytes) / median.wall.as_secs_f64();
    let rss_text = median.peak_rss.map_or("peak RSS unknown (no /usr/bin/time)".to_owned(), |rss| format!("peak RSS {:.1} MiB", mib(rss)));
    eprintln!("{MEASURE}: {bytes} bytes, runs {:?}, exit {:?}", timed.iter().map(|r| r.wall).collect::<Vec<_>>(), median.exit);
    row(
        MEASURE,
        &format!("{:.0} MB in {} ({how}): **{mb_s:.1} MB/s, {rss_text}**", mb(bytes), format_duration(median.wall)),
        TARGET,
        median.peak_rss.map(|rss| mb_s >= TARGET_MB_S && rss < TARGET_RSS_BYTES),
    );
}

/// Writes the mbox unless one of the right size is already there; returns its size.
fn write_mbox(path: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<u64> {
    let mut expected = 0u64;
    let messages: Vec<Vec<u8>> = files.iter().map(|(_, raw)| quote_message(raw)).collect();
    for i in 0..MESSAGES {
        expected += messages[i % messages.len()].len() as u64;
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() == expected) {
        return Ok(expected);
    }
    std::fs::create_dir_all(path.parent().expect("target/bench"))?;
    let temporary = PathBuf::from(format!("{}.part", path.display()));
    let mut out = BufWriter::new(std::fs::File::create(&temporary)?);
    for i in 0..MESSAGES {
        out.write_all(&messages[i % messages.len()])?;
    }
    out.into_inner()?.sync_all()?;
    std::fs::rename(&temporary, path)?;
    Ok(expected)
}

/// One mbox entry: the `From ` separator, the message with `From ` lines quoted (mboxrd), a
/// final line end and the blank line that ends an entry.
fn quote_message(raw: &[u8]) -> Vec<u8> {
    let mut out = b"From MAILER-DAEMON Sat Nov 28 04:00:00 2026\n".to_vec();
    for line in raw.split_inclusive(|&b| b == b'\n') {
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if line[quotes..].starts_with(b"From ") {
            out.push(b'>');
        }
        out.extend_from_slice(line);
    }
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}

struct Run {
    wall: Duration,
    peak_rss: Option<u64>,
    exit: Option<i32>,
}

fn run_cli(cli: &Path, mbox: &Path) -> Result<Run, String> {
    let time = Path::new("/usr/bin/time");
    let rss_file = mbox.with_extension("rss");
    let mut command = if time.is_file() {
        let mut command = Command::new(time);
        command.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(cli);
        command
    } else {
        Command::new(cli)
    };
    command.arg("--json").arg(mbox).stdout(Stdio::null()).stderr(Stdio::null());
    let start = Instant::now();
    let status = command.status().map_err(|e| format!("cannot run the CLI: {e}"))?;
    let wall = start.elapsed();
    // Exit 0 or 1 (some message was no bounce) are answers; anything else is a failure.
    if !matches!(status.code(), Some(0 | 1)) {
        return Err(format!("the CLI failed on the mbox ({status})"));
    }
    let peak_rss = time
        .is_file()
        .then(|| std::fs::read_to_string(&rss_file).ok())
        .flatten()
        .and_then(|text| text.lines().last()?.trim().parse::<u64>().ok())
        .map(|kb| kb * 1024);
    Ok(Run { wall, peak_rss, exit: status.code() })
}
