/**
 * `pnpm bench [--quick] [--json] [--filter TEXT]...`: runs every `packages/* /bench/*.bench.ts` suite and
 * prints one table (or one JSON array of `{name, value, unit, baseline, ratio}` rows with `--json`).
 * How to read it: docs/performance.md.
 */
import { readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchRow, BenchSuite } from './bench/harness.js';

const root = join(import.meta.dirname, '..');
const files = readdirSync(join(root, 'packages'))
  .sort()
  .flatMap((pkg) => {
    const dir = join(root, 'packages', pkg, 'bench');
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith('.bench.ts'))
        .sort()
        .map((f) => join(dir, f));
    } catch {
      return [];
    }
  });

const usage = `usage: pnpm bench [--quick] [--json] [--filter TEXT]...

Runs the benchmark suites (packages/*/bench/*.bench.ts) and prints one table: for each row the measured
value, its unit, the same workload's rate on a simpler baseline measured in the same process and run, and
the ratio value/baseline. Ratios are comparable across machines; absolute values are not.

options:
  --quick          smaller workloads (a smoke run, minutes instead of tens of minutes); rows whose size
                   changes are named after the smaller size (e.g. scenarios/bookinfo-1000rps-30s)
  --json           print exactly one JSON array of {name, value, unit, baseline, ratio} on stdout;
                   progress lines go to stderr
  --filter TEXT    run only the suites whose name or file path contains TEXT; repeat to run several
                   (TEXT=lb.bench selects lb alone, "world" would also select world-parts)
  -h, --help       this text

suites: ${files.map((f) => basename(f, '.bench.ts')).join(', ')}

examples:
  pnpm bench                                   # every suite (about half an hour on 2 cores)
  pnpm bench --quick                           # a smoke run of every suite
  pnpm bench --filter engine --filter router   # two suites
  pnpm bench --filter lb.bench --json > lb.json

What each row measures, its baseline and the numbers measured: docs/performance.md.`;

const args = process.argv.slice(2);
let json = false;
let quick = false;
const filters: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--help' || arg === '-h') {
    console.log(usage);
    process.exit(0);
  } else if (arg === '--json') json = true;
  else if (arg === '--quick') quick = true;
  else if (arg === '--filter' || arg.startsWith('--filter=')) {
    const value = arg === '--filter' ? args[++i] : arg.slice('--filter='.length);
    if (value === undefined || value === '' || value.startsWith('--')) fail('--filter needs a TEXT argument');
    filters.push(value);
  } else fail(`unknown argument "${arg}"`);
}

function fail(message: string): never {
  process.stderr.write(`pnpm bench: ${message}\n\n${usage}\n`);
  process.exit(2);
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const rows: BenchRow[] = [];
let ran = 0;
for (const file of files) {
  const path = relative(root, file);
  const suite = ((await import(pathToFileURL(file).href)) as { default: BenchSuite }).default;
  if (filters.length > 0 && !filters.some((f) => suite.name.includes(f) || path.includes(f))) continue;
  ran++;
  log(`bench: ${suite.name} (${path})${quick ? ' [quick]' : ''}`);
  rows.push(...(await suite.run({ quick, log })));
}
if (ran === 0) fail(`no suite matches --filter ${filters.join(', ')}`);

if (json) {
  console.log(
    JSON.stringify(rows.map(({ name, value, unit, baseline, ratio }) => ({ name, value, unit, baseline, ratio }))),
  );
} else {
  const fmt = (n: number | null): string =>
    n === null ? '-' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
  const table = [
    ['name', 'value', 'unit', 'baseline', 'ratio', 'baseline is'],
    ...rows.map((r) => [
      r.name,
      fmt(r.value),
      r.unit,
      fmt(r.baseline),
      // Two significant digits below 0.1, so that 0.002× and 0.04× do not both print as 0.00×.
      r.ratio === null ? '-' : `${r.ratio < 0.1 ? r.ratio.toPrecision(2) : r.ratio.toFixed(2)}×`,
      r.note ?? '',
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table)
    console.log(
      row
        .map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    );
}
