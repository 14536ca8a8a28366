//! The command-line tool: the same diagnosis as the page, for mailboxes and batches.
//! Thin: arguments, reading inputs, running the core on both cores, writing in input order.

mod input;
mod summary;

use std::collections::BTreeMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Result;
use bounce_doctor::{Kind, Lang, Note, Report, diagnose, i18n, render};
use clap::{Parser, ValueEnum};

use crate::input::Item;
use crate::summary::{GroupBy, Summary};

/// Why a mail did not arrive, and what to do: reads bounces and delay notices and explains them.
///
/// PATH is a message file (.eml, an Outlook .msg, or any raw message; told apart by content), an
/// mbox (detected by its `From ` lines), a Maildir or any directory (walked recursively), or `-`
/// for standard input (the default).
///
/// Exit status: 0 every input was a bounce or notice and was decoded; 1 some input was no
/// bounce (or empty, or binary); 2 some input could not be read, or was a damaged or cut-short
/// .msg (the run goes on past it and names it on stderr, or in the report's notes).
///
/// JSON Lines (--json): one object per message, in input order, as in the report contract;
/// `source` is the path, `path#N` for the N-th message of an mbox, `-` for stdin. Text that is
/// not valid in its declared charset is decoded with U+FFFD replacement characters; paths that
/// are not UTF-8 are written the same way and named in a warning on stderr.
#[derive(Parser, Debug)]
#[command(name = "bounce-doctor", version, verbatim_doc_comment)]
struct Args {
    /// Messages, mboxes, Maildirs or directories; `-` reads stdin.
    ///
    /// Example: bounce-doctor ~/Maildir/.Bounces bounce.eml
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Print JSON Lines (one report per message) instead of text.
    ///
    /// Example: bounce-doctor --json bounces.mbox > reports.jsonl
    #[arg(long)]
    json: bool,

    /// Print only a table grouped by reason, provider and IP, with counts.
    ///
    /// Example: bounce-doctor --summary /var/mail/bounces
    #[arg(long)]
    summary: bool,

    /// With --summary: group by the cause (reason, provider and IP; the default) or by the
    /// step of the plan (how many messages call for each step).
    ///
    /// Example: bounce-doctor --summary --by step /var/mail/bounces
    #[arg(long, value_enum, value_name = "GROUP", requires = "summary", default_value = "cause")]
    by: ByArg,

    /// Language of the text output [default: from LANG].
    ///
    /// Example: bounce-doctor --lang ja bounce.eml
    #[arg(long, value_enum)]
    lang: Option<LangArg>,

    /// Worker threads [default: the number of cores].
    ///
    /// Example: bounce-doctor --jobs 1 --json big.mbox
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ByArg {
    Cause,
    Step,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

/// The outcome of one input item, in input order.
enum Outcome {
    Report(Box<Report>),
    Unreadable { source: String, error: io::Error },
}

struct Output {
    json: bool,
    summary_only: bool,
    lang: Lang,
    colour: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(status) => ExitCode::from(status),
        Err(error) if error.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bounce-doctor: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<u8> {
    let lang = match args.lang {
        Some(LangArg::Ja) => Lang::Ja,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_tag(&std::env::var("LC_ALL").or_else(|_| std::env::var("LANG")).unwrap_or_default()),
    };
    let stdout = io::stdout();
    let output = Output {
        json: args.json,
        summary_only: args.summary,
        lang,
        colour: stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && !args.json,
    };
    let paths = if args.paths.is_empty() { vec![PathBuf::from("-")] } else { args.paths.clone() };
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).clamp(1, 64);
    let mut out = BufWriter::new(stdout.lock());
    let mut summary = Summary::new(match args.by {
        ByArg::Cause => GroupBy::Cause,
        ByArg::Step => GroupBy::Step,
    });
    let mut status = 0u8;
    let mut progress = Progress::new(io::stderr().is_terminal());

    let (job_tx, job_rx) = mpsc::sync_channel::<(u64, Item)>(jobs * 4);
    let job_rx = std::sync::Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(u64, Outcome)>();
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            let mut seq = 0u64;
            for entry in input::expand(&paths) {
                let mut send = |item: Item| {
                    let _ = job_tx.send((seq, item));
                    seq += 1;
                };
                match entry {
                    Ok(path) => input::read(&path, &mut send),
                    Err((path, error)) => send(Item::Unreadable { source: input::source_name(&path), error }),
                }
            }
        });
        for _ in 0..jobs {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || {
                loop {
                    let job = job_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((seq, item))) = job else { break };
                    let outcome = match item {
                        Item::Message { source, raw } => {
                            let mut report = diagnose(&raw);
                            report.source = Some(source);
                            Outcome::Report(Box::new(report))
                        }
                        Item::Unreadable { source, error } => Outcome::Unreadable { source, error },
                    };
                    if done_tx.send((seq, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        // Workers finish out of order; results wait here until their turn comes.
        let mut pending = BTreeMap::new();
        let mut next = 0u64;
        for (seq, outcome) in done_rx {
            pending.insert(seq, outcome);
            while let Some(outcome) = pending.remove(&next) {
                next += 1;
                status = status.max(write_outcome(&mut out, &output, &mut summary, outcome)?);
                progress.tick(next);
            }
        }
        Ok(())
    })?;
    progress.clear();
    if output.summary_only {
        if output.json {
            serde_json::to_writer(&mut out, &summary.to_json())?;
            writeln!(out)?;
        } else {
            write!(out, "{}", summary.to_text(lang))?;
        }
    }
    out.flush()?;
    Ok(status)
}

fn write_outcome(out: &mut impl Write, output: &Output, summary: &mut Summary, outcome: Outcome) -> Result<u8> {
    let report = match outcome {
        Outcome::Report(report) => report,
        Outcome::Unreadable { source, error } => {
            eprintln!("bounce-doctor: {}", i18n::fill(output.lang, "cli.error.unreadable", &[("source", &source), ("error", &error.to_string())]));
            summary.unreadable += 1;
            return Ok(2);
        }
    };
    summary.add(&report);
    // A damaged .msg could not be read whole, whatever was made of the rest.
    let status = if report.notes.contains(&Note::MsgDamaged) { 2 } else { u8::from(report.kind == Kind::NotABounce) };
    if output.summary_only {
        return Ok(status);
    }
    if output.json {
        serde_json::to_writer(&mut *out, &*report)?;
        writeln!(out)?;
    } else {
        // An empty input: the CLI's own words (the page's note speaks of pasting and choosing).
        let text = if report.notes.contains(&Note::Empty) {
            let source = report.source.as_deref().map(|s| format!("== {s}\n")).unwrap_or_default();
            format!("{source}{}\n", i18n::text(output.lang, "cli.empty"))
        } else {
            render::to_text(&report, output.lang)
        };
        if output.colour {
            // The first line after the source is the verdict: make it stand out.
            let mut lines = text.lines();
            for line in lines.by_ref() {
                if line.starts_with("== ") {
                    writeln!(out, "\x1b[1;36m{line}\x1b[0m")?;
                } else {
                    writeln!(out, "\x1b[1m{line}\x1b[0m")?;
                    break;
                }
            }
            for line in lines {
                writeln!(out, "{line}")?;
            }
        } else {
            write!(out, "{text}")?;
        }
        writeln!(out)?;
    }
    Ok(status)
}

/// A one-line counter on stderr for long runs, only on a terminal.
struct Progress {
    enabled: bool,
    started: Instant,
    last: Instant,
    shown: bool,
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        let now = Instant::now();
        Progress { enabled, started: now, last: now, shown: false }
    }

    fn tick(&mut self, done: u64) {
        if !self.enabled || self.last.elapsed() < Duration::from_millis(200) || self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        self.last = Instant::now();
        self.shown = true;
        let rate = done as f64 / self.started.elapsed().as_secs_f64();
        eprint!("\r\x1b[2K{done} messages ({rate:.0}/s)");
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
        }
    }
}
