/**
 * Manifest loading. Workload: Istio's own samples (bookinfo, httpbin, helloworld, curl; 30 files,
 * testdata/istio-samples), loaded as one input set. Baseline, run in the same process: parsing the same
 * text with the `yaml` package alone (`parseAllDocuments(...).toJS()`) — the floor any YAML loader pays.
 * Rows are objects per second; the ratio says what line tracking, kubectl-dump cleanup, freezing and
 * validation cost on top of parsing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadManifests } from '../src/k8s/load/loadManifests.js';
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';

const DIR = join(import.meta.dirname, '..', 'src', 'k8s', 'load', 'testdata', 'istio-samples');

const suite: BenchSuite = {
  name: 'manifests',
  run(ctx): BenchRow[] {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ file: f, text: readFileSync(join(DIR, f), 'utf8') }));
    const objects = loadManifests(files).objects.length;
    const rounds = ctx.quick ? 3 : 20;
    const parseOnly = (): void => {
      for (let r = 0; r < rounds; r++)
        for (const f of files) for (const d of parseAllDocuments(f.text) as { toJS(): unknown }[]) d.toJS();
    };
    const ops = objects * rounds;
    ctx.log(`manifests: ${files.length} files, ${objects} objects, ${rounds} rounds`);
    const validated = compareRates(
      ops,
      () => {
        for (let r = 0; r < rounds; r++) loadManifests(files);
      },
      parseOnly,
    );
    const unvalidated = compareRates(
      ops,
      () => {
        for (let r = 0; r < rounds; r++) loadManifests(files, { validate: false });
      },
      parseOnly,
    );
    return [
      ratioRow('manifests/load-validate-istio-samples', 'objects/s', validated, 'yaml parse only'),
      ratioRow('manifests/load-no-validate-istio-samples', 'objects/s', unvalidated, 'yaml parse only'),
    ];
  },
};

export default suite;
