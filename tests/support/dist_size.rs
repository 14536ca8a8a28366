//! The page's size as it travels: every file of dist/, raw and gzip -9 compressed. Shared by the
//! size budget test and the benchmark table so both count the same way.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// The page's budget: what a visitor downloads, compressed, stays under 400 000 bytes (issue 16's
/// "≤ 400 KB", in bytes, so that it holds whether KB is read as 1000 or 1024 bytes).
pub const BUDGET_GZIP_BYTES: u64 = 400_000;

pub struct FileSize {
    /// The path relative to dist/, with `/` separators.
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
}

pub fn dist_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dist")
}

/// Every file under dist/ in name order, or `None` when the page has not been built. Hidden
/// entries are left out: trunk stages a build in `dist/.stage/`, which is never served.
pub fn dist_files() -> Option<Vec<FileSize>> {
    files_in(&dist_dir())
}

/// Every file of a built page's folder (dist/ or another build's), as [`dist_files`].
pub fn files_in(root: &Path) -> Option<Vec<FileSize>> {
    let root = root.to_path_buf();
    if !root.is_dir() {
        return None;
    }
    let mut paths = Vec::new();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            if path.is_dir() { pending.push(path) } else { paths.push(path) }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let name = path.strip_prefix(&root).ok()?.to_string_lossy().replace('\\', "/");
            Some(FileSize { name, raw: bytes.len() as u64, gzip: gzip_len(&bytes) })
        })
        .collect()
}

/// Size after gzip at the best compression level (what `gzip -9` gives, within a few bytes).
pub fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory").len() as u64
}

pub fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1000.0
}
