#!/usr/bin/env node
/*
 * Reads every Jest JSON report (`--json --outputFile`) in a folder and prints
 * the totals. With --line, prints only the closing line CI reads:
 *   tests: N passed, N failed
 * A suite that crashed before running its tests counts as one failure, so a
 * broken file can never pass silently. Exits 1 when nothing ran or anything failed.
 */
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const lineOnly = args.includes('--line');
const dir = args.find(a => !a.startsWith('--'));
if (!dir) {
  console.error('usage: summarize-tests.js [--line] <results-dir>');
  process.exit(2);
}

const reports = fs.existsSync(dir)
  ? fs.readdirSync(dir).filter(f => f.endsWith('.json'))
  : [];
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const file of reports) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const crashed = report.numRuntimeErrorTestSuites ?? 0;
  passed += report.numPassedTests;
  failed += report.numFailedTests + crashed;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  rows.push(
    `${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ` +
      `${crashed} suites crashed, ${report.numTotalTestSuites} suites`,
  );
}

if (lineOnly) {
  console.log(`tests: ${passed} passed, ${failed} failed`);
} else {
  rows.forEach(r => console.log(r));
  if (reports.length === 0) console.log(`no test reports in ${dir}`);
  if (skipped > 0) console.log(`skipped: ${skipped}`);
}
process.exit(passed > 0 && failed === 0 ? 0 : 1);
