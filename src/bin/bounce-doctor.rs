//! The command-line tool: reads files (or stdin) and prints a readable diagnosis per message, or
//! JSON Lines with `--json` (one report per input, in input order, `source` = the path).
//!
//! Exit status: 0 when every input was decoded, 1 when some input was no bounce, 2 when an input
//! could not be read (the run goes on past it and names it on stderr).

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use bounce_doctor::{Kind, Lang, diagnose, render};

const USAGE: &str = "\
bounce-doctor: why a mail did not arrive, and what to do

Usage: bounce-doctor [--json] [--lang ja|en] [PATH|-]...

  PATH        a bounce message (.eml or any raw message); `-` or nothing reads stdin
  --json      JSON Lines: one report per input, `source` = the path
  --lang L    language of the readable output (default from LANG)
  -h, --help  this text

Example: bounce-doctor --json bounces/*.eml
";

struct Options {
    json: bool,
    lang: Lang,
    paths: Vec<String>,
}

fn parse_args() -> Result<Option<Options>> {
    let mut options = Options {
        json: false,
        lang: Lang::from_tag(&std::env::var("LANG").unwrap_or_default()),
        paths: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--json" => options.json = true,
            "--lang" => options.lang = Lang::from_tag(&args.next().context("--lang needs ja or en")?),
            _ if arg.starts_with("--lang=") => options.lang = Lang::from_tag(&arg["--lang=".len()..]),
            _ if arg.starts_with("--") => anyhow::bail!("unknown option {arg}\n\n{USAGE}"),
            _ => options.paths.push(arg),
        }
    }
    if options.paths.is_empty() {
        options.paths.push("-".to_owned());
    }
    Ok(Some(options))
}

fn read_input(path: &str) -> io::Result<Vec<u8>> {
    if path == "-" {
        let mut buffer = Vec::new();
        io::stdin().lock().read_to_end(&mut buffer)?;
        Ok(buffer)
    } else {
        std::fs::read(path)
    }
}

fn run(options: &Options) -> Result<u8> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = 0u8;
    for path in &options.paths {
        let raw = match read_input(path) {
            Ok(raw) => raw,
            Err(error) => {
                eprintln!("bounce-doctor: {path}: {error}");
                status = 2;
                continue;
            }
        };
        let mut report = diagnose(&raw);
        report.source = Some(path.clone());
        if report.kind == Kind::NotABounce {
            status = status.max(1);
        }
        if options.json {
            serde_json::to_writer(&mut out, &report)?;
            out.write_all(b"\n")?;
        } else {
            writeln!(out, "{}", render::to_text(&report, options.lang))?;
        }
    }
    out.flush()?;
    Ok(status)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(Some(options)) => options,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("bounce-doctor: {error:#}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(status) => ExitCode::from(status),
        Err(error) if error.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bounce-doctor: {error:#}");
            ExitCode::from(2)
        }
    }
}
