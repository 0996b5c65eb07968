/**
 * When a run without `until` ends: when every traffic generator is done and every call has ended — at the
 * event that ends the last call. Periodic timers (outlier detection's `interval` ticks, health checks)
 * re-arm themselves for ever and must not keep the run going, nor fire after that event; timed changes due
 * later than that never happen. With `until`, the run goes to exactly that time.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ms, s } from '../../engine/time.js';
import type { TimedChange } from './changes.js';
import { reviewsMesh } from './testMeshes.js';
import { runFromSleep } from './testRuns.js';
import type { WorkloadSpec } from './workloads.js';

// Outlier detection with a short interval: its tick re-arms every 10 ms on every client worker.
const withOutlierDetection = (interval: string) =>
  reviewsMesh({
    versions: [{ name: 'v1', replicas: 2 }],
    destinationRule: {
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 2, interval, baseEjectionTime: '30s' } },
    },
  });

const slowReviews = (meanUs: number): WorkloadSpec => ({
  selector: { matchLabels: { app: 'reviews' } },
  behaviour: { serviceTime: { kind: 'exponential', mean: meanUs } },
});

describe('the end of a run without until', () => {
  it('is the event that ends the last call, not a later outlier-detection tick', () => {
    const model = withOutlierDetection('10ms');
    const { result, outcomes } = runFromSleep(model, { rate: 200, requests: 100 }, { seed: 3 });
    expect(outcomes).toHaveLength(100);
    expect(result.inFlight).toBe(0);
    const lastEnd = Math.max(...outcomes.map((o) => o.startTime + o.duration));
    expect(result.lastOutcomeTime).toBe(lastEnd);
    expect(result.endTime).toBe(lastEnd);
  });

  it('leaves timed changes due after the end undone', () => {
    const model = withOutlierDetection('1s');
    const kill: TimedChange = {
      at: s(600),
      name: 'too late',
      change: { kind: 'kill', target: { selector: { matchLabels: { app: 'reviews' } } } },
    };
    const early: TimedChange = {
      at: ms(5),
      name: 'in time',
      change: { kind: 'setWorkload', workload: slowReviews(500) },
    };
    const { result } = runFromSleep(
      model,
      { connections: 1, requests: 20 },
      { seed: 1, trace: 'records', events: [early, kill] },
    );
    const changes = (result.trace?.records ?? []).filter((r) => r.kind === 'change').map((r) => r.detail);
    expect(changes).toEqual([JSON.stringify({ name: 'in time', kind: 'setWorkload' })]);
    expect(result.endTime).toBeLessThan(s(1));
    expect(result.world.instances.every((i) => i.state !== 'dead')).toBe(true);
  });

  it('with until, runs to exactly that time, periodic timers included', () => {
    const model = withOutlierDetection('1s');
    const { result } = runFromSleep(model, { connections: 1, requests: 5 }, { seed: 1, until: s(30) });
    expect(result.endTime).toBe(s(30));
    // 30 ticks of 1 s on each client worker's cluster fired after the last of the 5 requests.
    expect(result.events).toBeGreaterThan(30);
  });

  // Traffic of any shape, timers of any period: the run stops at the end of its last call.
  test.prop(
    [
      fc.oneof(
        fc.record({ rate: fc.integer({ min: 20, max: 2000 }), requests: fc.integer({ min: 1, max: 60 }) }),
        fc.record({ connections: fc.integer({ min: 1, max: 4 }), requests: fc.integer({ min: 1, max: 60 }) }),
      ),
      fc.constantFrom('1ms', '10ms', '100ms', '1s', '10s'),
      fc.integer({ min: 100, max: 20_000 }),
      fc.integer({ min: 1, max: 1000 }),
    ],
    { numRuns: 15 },
  )('endTime is the last outcome’s end, whatever the interval', (traffic, interval, meanUs, seed) => {
    const { result, outcomes } = runFromSleep(withOutlierDetection(interval), traffic, {
      seed,
      workloads: [slowReviews(meanUs)],
    });
    expect(outcomes).toHaveLength(traffic.requests);
    const lastEnd = Math.max(...outcomes.map((o) => o.startTime + o.duration));
    expect(result.endTime).toBe(lastEnd);
  });
});
