/**
 * The scenario runner at scale: a 10-minute simulated run of the bundled `bookinfo` scenario at 1,000
 * requests/s (600,000 page views through the ingress gateway, each fanning out to details, reviews and —
 * for v2/v3 — ratings). Rows:
 * - `scenarios/bookinfo-1000rps-10min`: simulated page views per wall-clock second through `run()` (the
 *   runner: expectations evaluated as outcomes stream, per-destination aggregation, canonical hosts),
 *   against the same world options through sim-core's `simulate()` alone — the ratio is the runner's
 *   overhead;
 * - `scenarios/bookinfo-10min-wall`: wall-clock seconds of that run (target: well under 60);
 * - `scenarios/bookinfo-10min-cpu`: CPU seconds of that run (what it costs when the machine is shared, where
 *   the wall clock also counts waiting for a core), against `simulate()`'s;
 * - `scenarios/bookinfo-10min-peak-rss`: peak resident memory of the process after it, MiB, against the peak
 *   after the two 5-s warm-up runs (120× fewer requests): a ratio near 1 shows memory is bounded — the runner
 *   keeps nothing per request.
 * `--quick` simulates 30 s instead of 10 min.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { peakRssMiB, time, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';
import { libraryDir } from '../src/library/bundled.js';
import { loadScenario } from '../src/load/loadScenario.js';
import { planRun } from '../src/runner/plan.js';
import { run } from '../src/runner/run.js';
import { simulate } from '../src/runner/world.js';

const suite: BenchSuite = {
  name: 'scenarios',
  async run(ctx): Promise<BenchRow[]> {
    const dir = join(libraryDir(), 'bookinfo');
    const file = join(dir, 'scenario.yaml');
    const text = readFileSync(file, 'utf8').replace(/^(\s+)rate: 50$/m, '$1rate: 1000');
    if (!text.includes('rate: 1000')) throw new Error('bookinfo scenario: could not set the rate to 1000/s');
    const loaded = await loadScenario({ file, text }, { baseDir: dir });
    const seconds = ctx.quick ? 30 : 600;
    const duration = seconds * 1_000_000;

    // Warm both paths up (JIT) on 5 simulated seconds, then alternate them (3 times each with --quick,
    // once each for the 10-minute run) and keep the medians.
    run(loaded, { duration: 5_000_000 });
    simulate({ ...planRun(loaded, { duration: 5_000_000 }).world });
    const warmRss = peakRssMiB();
    const plan = planRun(loaded, { duration });
    const walls: number[] = [];
    const baseWalls: number[] = [];
    const cpus: number[] = [];
    const baseCpus: number[] = [];
    // CPU seconds (user + system, all of the process's threads: GC and JIT helpers included) beside the
    // wall clock: on a machine shared with other work the wall clock also counts the time the process
    // waited for a core; the CPU time is what the run costs, and about its wall time on an idle core.
    const cpuSeconds = (fn: () => void): number => {
      const t0 = process.cpuUsage();
      fn();
      const d = process.cpuUsage(t0);
      return (d.user + d.system) / 1e6;
    };
    let requests = 0;
    for (let rep = 0; rep < (ctx.quick ? 3 : 1); rep++) {
      ctx.log(`scenarios: bookinfo at 1000 req/s for ${seconds} s simulated, through sim-core's simulate() (baseline)`);
      baseCpus.push(cpuSeconds(() => baseWalls.push(time(() => void simulate({ ...plan.world })))));
      ctx.log(`scenarios: the same through the runner's run()`);
      cpus.push(
        cpuSeconds(() =>
          walls.push(
            time(() => {
              const out = run(loaded, { duration });
              requests = out.result.generators.reduce((a, g) => a + g.requests, 0);
              ctx.log(
                `  ${requests} page views, ${out.result.destinations.reduce((a, d) => a + d.requests, 0)} calls, digest ${out.result.digest}`,
              );
            }),
          ),
        ),
      );
    }
    const rss = peakRssMiB();
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const wall = median(walls);
    const baseWall = median(baseWalls);
    const label = ctx.quick ? 'bookinfo-1000rps-30s' : 'bookinfo-1000rps-10min';
    return [
      {
        name: `scenarios/${label}`,
        value: requests / wall,
        unit: 'req/s',
        baseline: requests / baseWall,
        ratio: baseWall / wall,
        note: 'sim-core simulate() on the same world, without the runner',
      },
      {
        name: `scenarios/${ctx.quick ? 'bookinfo-30s' : 'bookinfo-10min'}-wall`,
        value: wall,
        unit: 's',
        baseline: null,
        ratio: null,
      },
      {
        name: `scenarios/${ctx.quick ? 'bookinfo-30s' : 'bookinfo-10min'}-cpu`,
        value: median(cpus),
        unit: 's',
        baseline: median(baseCpus),
        ratio: median(cpus) / median(baseCpus),
        note: 'CPU s of simulate() alone (lower is better)',
      },
      {
        name: `scenarios/${ctx.quick ? 'bookinfo-30s' : 'bookinfo-10min'}-peak-rss`,
        value: rss,
        unit: 'MiB',
        baseline: warmRss,
        ratio: rss / warmRss,
        note: 'peak RSS after the 5-s warm-up runs (≈ 1 = bounded)',
      },
    ];
  },
};

export default suite;
