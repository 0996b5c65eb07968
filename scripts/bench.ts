/**
 * `pnpm bench [--json] [--quick] [--filter TEXT]`: runs every `packages/* /bench/*.bench.ts` suite and
 * prints one table (or one JSON array of `{name, value, unit, baseline, ratio}` rows with `--json`).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchRow, BenchSuite } from './bench/harness.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const filterAt = args.indexOf('--filter');
const filter = filterAt >= 0 ? (args[filterAt + 1] ?? '') : '';
if (args.includes('--help')) {
  console.log(
    'usage: pnpm bench [--json] [--quick] [--filter TEXT]\n  see docs/performance.md for how to read the table',
  );
  process.exit(0);
}

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

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const rows: BenchRow[] = [];
for (const file of files) {
  const suite = ((await import(pathToFileURL(file).href)) as { default: BenchSuite }).default;
  if (filter !== '' && !suite.name.includes(filter) && !relative(root, file).includes(filter)) continue;
  log(`bench: ${suite.name} (${relative(root, file)})${quick ? ' [quick]' : ''}`);
  rows.push(...(await suite.run({ quick, log })));
}

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
      r.ratio === null ? '-' : `${r.ratio.toFixed(2)}×`,
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
