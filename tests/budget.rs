//! The page's size budget: the .wasm and the whole dist/ must each stay under 400 000 bytes
//! gzipped.
//! Deterministic (sizes, not timings). Skips with a message when the page has not been built.

#[path = "support/dist_size.rs"]
mod dist_size;

use dist_size::{BUDGET_GZIP_BYTES, dist_files, kb};

#[test]
fn the_page_fits_its_gzip_budget() {
    let Some(files) = dist_files() else {
        eprintln!("skipped: {} is absent (build the page first, e.g. `make`)", dist_size::dist_dir().display());
        return;
    };
    assert!(!files.is_empty(), "dist/ is empty");
    let wasm: Vec<_> = files.iter().filter(|f| f.name.ends_with(".wasm")).collect();
    assert!(!wasm.is_empty(), "dist/ holds no .wasm file");
    for file in &wasm {
        assert!(
            file.gzip < BUDGET_GZIP_BYTES,
            "{} is {:.1} KB gzipped, not under the {:.0} KB budget",
            file.name,
            kb(file.gzip),
            kb(BUDGET_GZIP_BYTES)
        );
    }
    let total: u64 = files.iter().map(|f| f.gzip).sum();
    assert!(total < BUDGET_GZIP_BYTES, "dist/ is {} bytes gzipped in total, not under the {} byte budget", total, BUDGET_GZIP_BYTES);
}

#[test]
fn gzip_sizes_are_measured_not_guessed() {
    // 100 000 equal bytes compress to almost nothing; 256 distinct bytes do not.
    assert!(dist_size::gzip_len(&[b'a'; 100_000]) < 500);
    let distinct: Vec<u8> = (0..=255).collect();
    assert!(dist_size::gzip_len(&distinct) > 256);
}
