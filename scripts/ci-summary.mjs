// Prints CI's last line, "N passed, N failed", from vitest's JSON report. Extra failures (failed CI
// steps such as lint) are added to the failed count; a missing report counts as one failure.
import { readFileSync } from 'node:fs';

const [file, extra = '0'] = process.argv.slice(2);
let passed = 0;
let failed = Number(extra);
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTests ?? 0);
  // A test file that fails to load has no tests but is a failure.
  failed += (report.testResults ?? []).filter(
    (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
  ).length;
} catch {
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
