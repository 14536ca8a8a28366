//! The page's weight: each file of dist/ raw and gzip -9, and the total against the budget. With
//! `BASELINE_DIST` set (scripts/bench.sh sets it for `BASELINE=<ref>`), the total of that build
//! too, for the comparison in the same run.

#[path = "support/harness.rs"]
mod harness;
#[path = "../tests/support/dist_size.rs"]
mod dist_size;

use dist_size::{BUDGET_GZIP_BYTES, FileSize, dist_files, files_in, kb};
use harness::{row, skipped};

fn total(files: &[FileSize]) -> (u64, u64) {
    (files.iter().map(|f| f.raw).sum(), files.iter().map(|f| f.gzip).sum())
}

fn main() {
    let Some(files) = dist_files() else {
        return skipped("page: dist/", &format!("{} is absent (build the page first)", dist_size::dist_dir().display()), "< 400 KB gzip");
    };
    for file in &files {
        let target = if file.name.ends_with(".wasm") { "< 400 KB gzip" } else { "–" };
        let met = file.name.ends_with(".wasm").then_some(file.gzip < BUDGET_GZIP_BYTES);
        row(&format!("page: dist/{}", file.name), &format!("{:.1} KB raw, {:.1} KB gzip", kb(file.raw), kb(file.gzip)), target, met);
    }
    let (raw, gzip) = total(&files);
    row(
        &format!("page: dist/ total ({} files)", files.len()),
        &format!("{:.1} KB raw, **{:.1} KB gzip** ({gzip} bytes)", kb(raw), kb(gzip)),
        "< 400 KB gzip (400 000 bytes; tests/budget.rs)",
        Some(gzip < BUDGET_GZIP_BYTES),
    );
    let name = std::env::var("BASELINE").unwrap_or_else(|_| "baseline".into());
    if let Some(base) = std::env::var_os("BASELINE_DIST").and_then(|dir| files_in(std::path::Path::new(&dir))) {
        let (base_raw, base_gzip) = total(&base);
        row(
            &format!("page: {name} total ({} files), for comparison", base.len()),
            &format!("{:.1} KB raw, {:.1} KB gzip (this build: {:+.1} KB gzip)", kb(base_raw), kb(base_gzip), kb(gzip) - kb(base_gzip)),
            "–",
            None,
        );
    }
}
