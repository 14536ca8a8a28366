//! Where messages come from: files, mboxes (streamed message by message), Maildirs and other
//! directories (walked recursively, in name order), or standard input.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use bounce_doctor::mbox::{self, Splitter};

/// One message to diagnose, or an input that could not be read.
pub enum Item {
    Message { source: String, raw: Vec<u8> },
    Unreadable { source: String, error: io::Error },
}

/// Expands the command line's paths into files in a stable order. `-` stays as is.
pub fn expand(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, io::Error)>> {
    let mut files = Vec::new();
    let mut walked = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(Ok(path.clone()));
        } else if path.is_dir() {
            walk(path, &mut files, &mut walked);
        } else {
            files.push(Ok(path.clone()));
        }
    }
    files
}

/// Walks a directory once however many ways lead to it: a symbolic link back up the tree
/// (`self -> .`) or a second path to the same place is known by the canonical path and skipped,
/// so no message is read twice and a loop ends.
fn walk(dir: &Path, files: &mut Vec<Result<PathBuf, (PathBuf, io::Error)>>, walked: &mut HashSet<PathBuf>) {
    if !walked.insert(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => return files.push(Err((dir.to_path_buf(), error))),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    // A Maildir's tmp/ holds messages still being written: only cur/ and new/ are mail.
    let is_maildir = dir.join("cur").is_dir() && dir.join("new").is_dir();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || (is_maildir && name == "tmp") {
            continue;
        }
        if path.is_dir() {
            walk(&path, files, walked);
        } else {
            files.push(Ok(path));
        }
    }
}

/// The name a path gets in the output. Paths that are not UTF-8 are written with U+FFFD in place
/// of the bytes that are not (a warning on stderr says so).
pub fn source_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "-".to_owned();
    }
    let name = path.to_string_lossy();
    if path.to_str().is_none() {
        eprintln!("bounce-doctor: warning: the path {name} is not UTF-8; shown with replacement characters");
    }
    name.into_owned()
}

/// Reads one input and hands each of its messages to `emit`, in order. An mbox is streamed, so
/// memory holds one message at a time.
pub fn read(path: &Path, emit: &mut dyn FnMut(Item)) {
    let source = source_name(path);
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        match File::open(path) {
            Ok(file) => Box::new(file),
            Err(error) => return emit(Item::Unreadable { source, error }),
        }
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    // The page's rule (mbox::is_mbox, mbox::messages), streamed: an .eml is one message, other
    // files are mboxes when they start like one.
    let name = path.file_name().and_then(|n| n.to_str());
    let (is_mbox, bare_cr) = match reader.fill_buf() {
        Ok(head) => (mbox::is_mbox(name, head), mbox::has_bare_cr_line_ends(head)),
        Err(error) => return emit(Item::Unreadable { source, error }),
    };
    if is_mbox && bare_cr {
        // Old Mac line ends: no line-by-line streaming possible, so split in memory.
        let mut raw = Vec::new();
        if let Err(error) = reader.read_to_end(&mut raw) {
            return emit(Item::Unreadable { source, error });
        }
        let text = bounce_doctor::message::normalize_line_ends(&raw);
        return read_mbox(text.as_slice(), &source, emit);
    }
    if !is_mbox {
        let mut raw = Vec::new();
        return match reader.read_to_end(&mut raw) {
            Ok(_) => emit(Item::Message { source, raw }),
            Err(error) => emit(Item::Unreadable { source, error }),
        };
    }
    read_mbox(reader, &source, emit);
}

/// Streams an mbox. A file holding one message keeps its plain name; otherwise the N-th message
/// is `path#N`. The first message is held back until the second separator shows which applies.
fn read_mbox(mut reader: impl BufRead, source: &str, emit: &mut dyn FnMut(Item)) {
    let mut splitter = Splitter::new();
    let mut line = Vec::new();
    let mut held: Option<Vec<u8>> = None;
    let mut count = 0usize;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {
                if let Some(message) = splitter.push_line(&line) {
                    deliver(source, message, &mut held, &mut count, emit);
                }
            }
            Err(error) => {
                emit(Item::Unreadable { source: source.to_owned(), error });
                return;
            }
        }
    }
    if let Some(message) = splitter.finish() {
        deliver(source, message, &mut held, &mut count, emit);
    }
    // As mbox::messages: a box with no message after its separators is one empty message.
    if count == 0 || held.is_some() {
        emit(Item::Message { source: source.to_owned(), raw: held.unwrap_or_default() });
    }
}

/// Emits the N-th message of an mbox, holding the first back until a second one exists.
fn deliver(source: &str, raw: Vec<u8>, held: &mut Option<Vec<u8>>, count: &mut usize, emit: &mut dyn FnMut(Item)) {
    *count += 1;
    if *count == 1 {
        *held = Some(raw);
        return;
    }
    if let Some(first) = held.take() {
        emit(Item::Message { source: format!("{source}#1"), raw: first });
    }
    emit(Item::Message { source: format!("{source}#{count}"), raw });
}
