/**
 * A scenario run without `until` ends with its traffic: the reported simulated time is the end of the last
 * request, however long outlier detection's interval ticks would run on — whether the run keeps its trace
 * (drained in batches for the HTML report) or not.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, type LoadedScenario } from '../load/loadScenario.js';
import { run } from './run.js';

const LIBRARY = join(import.meta.dirname, '..', 'library');
let outlier: LoadedScenario;
beforeAll(async () => {
  outlier = await loadScenario(join(LIBRARY, 'outlier-ejection', 'scenario.yaml'));
});

describe('the simulated time of a run', () => {
  it('is the end of its last request, not of the timers that tick after it', () => {
    // 20 s of traffic at 100 requests/s; outlier detection ticks every 10 s on every client worker.
    const out = run(outlier, { duration: 20_000_000 });
    const last = out.world.telemetry.lastOutcomeTime;
    expect(last).toBeGreaterThan(19_900_000);
    expect(last).toBeLessThan(20_100_000);
    expect(out.result.simulatedTime).toBe(last);
  });

  it('is the same when the trace is drained in batches (the report reads a run that way)', () => {
    const plain = run(outlier, { duration: 20_000_000 }).result;
    let records = 0;
    const traced = run(outlier, {
      duration: 20_000_000,
      traceSink: () => (batch) => void (records += batch.length),
    }).result;
    expect(records).toBeGreaterThan(0);
    expect(traced.simulatedTime).toBe(plain.simulatedTime);
    expect(traced.eventsFired).toBe(plain.eventsFired);
    expect(traced.digest).toBe(plain.digest);
  });
});
