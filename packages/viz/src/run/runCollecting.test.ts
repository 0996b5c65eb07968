/**
 * `runCollecting()` (the report's and the classroom's way of running a world with its trace drained in
 * batches) ends where `World.run()` does: at the event that ends the last call — not at the end of a batch
 * of outlier-detection ticks that keep re-arming after the traffic.
 */
import { reviewsMesh, sleepPod, World } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import { collectorFor, runCollecting } from './variantFromRun.js';

function world(trace: 'records' | 'off'): World {
  const model = reviewsMesh({
    versions: [{ name: 'v1', replicas: 2 }],
    destinationRule: {
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 2, interval: '10ms', baseEjectionTime: '30s' } },
    },
  });
  return new World({
    model,
    seed: 3,
    trace,
    traffic: [
      {
        name: 'users',
        source: { kind: 'pod', namespace: 'default', pod: sleepPod(model) },
        rate: 200,
        requests: 100,
        mix: [{ url: 'http://reviews:9080/' }],
      },
    ],
  });
}

describe('runCollecting()', () => {
  it('stops at the end of the last call, as World.run() does, however small the batches', () => {
    const plain = world('off');
    plain.run();
    for (const batch of [1, 7, 4096]) {
      const w = world('records');
      runCollecting(w, collectorFor(w), batch);
      expect(w.callsInFlight).toBe(0);
      expect(w.sim.now).toBe(w.telemetry.lastOutcomeTime);
      expect(w.sim.now).toBe(plain.sim.now);
      expect(w.telemetry.outcomeDigest).toBe(plain.telemetry.outcomeDigest);
    }
  });
});
