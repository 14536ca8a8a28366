// The corpus through the wasm build in Node: every file fed to `new Doctor().diagnose(bytes)`,
// median of several runs after a warm-up. Prints one row of the bench table on stdout.
// Usage: node benches/wasm-node.cjs PATH/TO/bounce_doctor.js CORPUS_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const MEASURE = 'wasm in Node: sisimai corpus, one process';
const TARGET = '≥ 20 MB/s';
const TARGET_MB_S = 20;
const RUNS = 9;

function row(result, met) {
  const verdict = met === undefined ? '–' : met ? 'yes' : '**no**';
  console.log(`| ${MEASURE} | ${result} | ${TARGET} | ${verdict} |`);
}

const [modulePath, corpusDir] = process.argv.slice(2);
let Doctor;
try {
  ({ Doctor } = require(path.resolve(modulePath)));
} catch (error) {
  row(`skipped: cannot load ${modulePath}: ${error.message.split('\n')[0]}`);
  process.exit(0);
}
if (typeof Doctor !== 'function') {
  row('skipped: the wasm module exports no Doctor class');
  process.exit(0);
}
const files = fs.readdirSync(corpusDir).sort()
  .map((name) => path.join(corpusDir, name))
  .filter((p) => fs.statSync(p).isFile())
  .map((p) => new Uint8Array(fs.readFileSync(p)));
const bytes = files.reduce((sum, f) => sum + f.length, 0);
const doctor = new Doctor();
let failures = 0;
function pass() {
  for (const file of files) {
    try {
      doctor.diagnose(file);
    } catch (error) {
      failures += 1;
    }
  }
}
pass();
const times = [];
for (let i = 0; i < RUNS; i += 1) {
  const start = process.hrtime.bigint();
  pass();
  times.push(Number(process.hrtime.bigint() - start) / 1e9);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const mbS = bytes / 1e6 / median;
const rssMiB = process.resourceUsage().maxRSS / 1024;
const failed = failures ? `, ${failures / (RUNS + 1)} messages threw` : '';
console.error(`${MEASURE}: ${files.length} files, ${bytes} bytes, runs ${times.map((t) => t.toFixed(3)).join(' ')} s${failed}`);
row(`${files.length} msgs (${(bytes / 1e6).toFixed(1)} MB) in ${(median * 1e3).toFixed(1)} ms (median of ${RUNS}): **${(files.length / median).toFixed(0)} msg/s, ${mbS.toFixed(1)} MB/s**, Node peak RSS ${rssMiB.toFixed(1)} MiB${failed}`, mbS >= TARGET_MB_S && failures === 0);
