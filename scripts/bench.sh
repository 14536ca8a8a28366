#!/usr/bin/env bash
# `make bench`: every benchmark of the project, printed as ONE table and written to
# target/bench.md. A row that cannot be measured here (no corpus, no page build, no wasm
# toolchain, a CLI without mbox support) says so instead of failing the run.
#
# Rows: native decoding of the sisimai corpus (benches/corpus.rs), the pathological inputs
# (benches/pathological.rs), the same corpus through the wasm build in Node
# (benches/wasm-node.cjs), the CLI on a 100 000-message mbox (benches/cli_mbox.rs), the
# page's weight (benches/page.rs) and its time to a first diagnosis (benches/page-first-diagnosis.mjs:
# typed and clicked by the test driver, and pasted and clicked by an in-page script at ready).
#
# BASELINE=<git ref> (e.g. `make bench BASELINE=main`) also builds the page of that commit
# (target/bench/baseline) and measures its weight and first diagnosis beside this build's, loads
# alternating, so a change is judged against the landed build in one run.
set -uo pipefail
cd "$(dirname "$0")/.."

out_dir=target/bench
rows=$out_dir/rows.md
log=$out_dir/bench.log
mkdir -p "$out_dir"
: > "$rows"
: > "$log"

say() { echo "bench: $*" >&2; }
# A row for a measurement this machine cannot make, with the reason.
skip_row() { echo "| $1 | skipped: $2 | $3 | – |" >> "$rows"; say "$1: skipped: $2"; }
run_bench() {
    say "running $1"
    cargo bench --quiet --bench "$1" 2>> "$log" | grep '^| ' >> "$rows" \
        || skip_row "$1" "the benchmark failed (see $log)" "–"
}

say "building (release CLI and the benchmarks)"
if ! cargo build --quiet --release --bin bounce-doctor 2>> "$log"; then
    say "the release CLI did not build (see $log)"
fi
cargo bench --quiet --no-run --bench corpus --bench pathological --bench cli_mbox --bench page 2>> "$log" \
    || { say "the benchmarks did not build (see $log)"; tail -20 "$log" >&2; exit 1; }

run_bench corpus
run_bench pathological

# The wasm row: the library as the page ships it (wasm-release profile), bound for Node.
wasm_measure="wasm in Node: sisimai corpus, one process"
wasm_target="≥ 20 MB/s"
corpus=../shared/corpus/sisimai/eml
wasm_out=$out_dir/wasm-node
lock_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p' | head -1)
if [ ! -d "$corpus" ]; then
    skip_row "$wasm_measure" "no corpus at $corpus" "$wasm_target"
elif ! command -v node > /dev/null; then
    skip_row "$wasm_measure" "node is not installed" "$wasm_target"
elif ! command -v wasm-bindgen > /dev/null || [ "$(wasm-bindgen --version)" != "wasm-bindgen $lock_version" ]; then
    skip_row "$wasm_measure" "wasm-bindgen-cli $lock_version is not installed (cargo install wasm-bindgen-cli --version $lock_version)" "$wasm_target"
elif ! { rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown >> "$log" 2>&1; }; then
    skip_row "$wasm_measure" "the wasm32-unknown-unknown target cannot be installed" "$wasm_target"
else
    say "building the wasm library"
    if cargo build --quiet --lib --target wasm32-unknown-unknown --profile wasm-release --no-default-features 2>> "$log" \
        && wasm-bindgen --target nodejs --out-dir "$wasm_out" target/wasm32-unknown-unknown/wasm-release/bounce_doctor.wasm 2>> "$log"; then
        # wasm-bindgen writes CommonJS for Node; the project's package.json says "module".
        echo '{ "type": "commonjs" }' > "$wasm_out/package.json"
        say "running the wasm build in Node"
        node benches/wasm-node.cjs "$wasm_out/bounce_doctor.js" "$corpus" 2>> "$log" | grep '^| ' >> "$rows" \
            || skip_row "$wasm_measure" "the Node script failed (see $log)" "$wasm_target"
    else
        skip_row "$wasm_measure" "the wasm build failed (see $log; the page's exported API may not be on this branch yet)" "$wasm_target"
    fi
fi

run_bench cli_mbox

baseline_dist=""
if [ -n "${BASELINE:-}" ]; then
    base=$out_dir/baseline
    say "building the page of $BASELINE for comparison (in $base)"
    rm -rf "$base/src" "$base/dist"
    mkdir -p "$base/src"
    if git archive "$BASELINE" | tar -x -C "$base/src" \
        && ln -s "$PWD/node_modules" "$base/src/node_modules" \
        && (cd "$base/src" && CARGO_TARGET_DIR="$PWD/../target" trunk build --release --dist ../dist) >> "$log" 2>&1; then
        baseline_dist=$base/dist
    else
        skip_row "page: $BASELINE" "its page did not build (see $log)" "–"
    fi
fi
say "running page"
BASELINE_DIST=$baseline_dist cargo bench --quiet --bench page 2>> "$log" | grep '^| ' >> "$rows" \
    || skip_row page "the benchmark failed (see $log)" "–"

say "timing the page's first diagnosis in headless Chromium"
node benches/page-first-diagnosis.mjs ${baseline_dist:+"$baseline_dist" "$BASELINE"} 2>> "$log" | grep '^| ' >> "$rows" \
    || skip_row "page: navigation to first diagnosis" "the browser run failed (see $log)" "≤ 1 s"

{
    echo "bounce-doctor benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
    echo
    echo "| measure | result | target | met |"
    echo "|---|---|---|---|"
    cat "$rows"
} > target/bench.md
cat target/bench.md
