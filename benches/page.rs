//! The page's weight: each file of dist/ raw and gzip -9, and the total against the budget.

#[path = "support/harness.rs"]
mod harness;
#[path = "../tests/support/dist_size.rs"]
mod dist_size;

use dist_size::{BUDGET_GZIP_BYTES, dist_files, kb};
use harness::{row, skipped};

fn main() {
    let Some(files) = dist_files() else {
        return skipped("page: dist/", &format!("{} is absent (build the page first)", dist_size::dist_dir().display()), "≤ 500 KB gzip");
    };
    for file in &files {
        let target = if file.name.ends_with(".wasm") { "≤ 500 KB gzip" } else { "–" };
        let met = file.name.ends_with(".wasm").then_some(file.gzip <= BUDGET_GZIP_BYTES);
        row(&format!("page: dist/{}", file.name), &format!("{:.1} KB raw, {:.1} KB gzip", kb(file.raw), kb(file.gzip)), target, met);
    }
    let raw: u64 = files.iter().map(|f| f.raw).sum();
    let gzip: u64 = files.iter().map(|f| f.gzip).sum();
    row(
        &format!("page: dist/ total ({} files)", files.len()),
        &format!("{:.1} KB raw, **{:.1} KB gzip**", kb(raw), kb(gzip)),
        "≤ 500 KB gzip",
        Some(gzip <= BUDGET_GZIP_BYTES),
    );
}
