/**
 * ORIGINAL_DST clusters (`OriginalDstCluster`, envoyproxy/envoy source/extensions/clusters/original_dst):
 * one host per original destination, the same host for every stream to it whatever came in between.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { Simulation } from '../../engine/simulation.js';
import { StatsStore } from '../../envoy/observability/statsStore.js';
import type { Host } from '../../envoy/upstream/host.js';
import { ClusterEntry } from './clusterEntry.js';
import { ClusterStatsBlock } from './clusterStatsBlock.js';
import type { WireConnector } from './connPool.js';

const NAME = 'inbound|9080||';
const noConnector: WireConnector = {
  connect: () => {
    throw new Error('no connection expected');
  },
};

function originalDst(): ClusterEntry {
  const sim = new Simulation({ seed: 1 });
  return new ClusterEntry({
    config: { name: NAME, type: 'ORIGINAL_DST', lbPolicy: 'CLUSTER_PROVIDED' },
    endpoints: undefined,
    workers: 2,
    stream: (n) => sim.rng.stream(n),
    dispatcher: sim,
    connector: noConnector,
    stats: new ClusterStatsBlock(new StatsStore(), NAME),
  });
}

const destination = fc.constantFrom('10.0.0.1:9080', '10.0.0.2:9080', '10.0.0.1:9090', '[fd00::1]:9080', 'bad');

describe('ORIGINAL_DST hosts', () => {
  test.prop([fc.array(fc.tuple(destination, fc.nat(1)), { maxLength: 40 })])(
    'a destination always gets the same host, distinct destinations distinct hosts, on every worker',
    (picks) => {
      const cluster = originalDst();
      const byDestination = new Map<string, Host | null>();
      for (const [dest, worker] of picks) {
        const h = cluster.threadLocal(worker).chooseHost(undefined, dest);
        if (dest === 'bad') {
          expect(h).toBeNull();
          continue;
        }
        expect(h?.addressString).toBe(dest);
        const earlier = byDestination.get(dest);
        if (earlier === undefined) {
          for (const other of byDestination.values()) expect(other).not.toBe(h);
          byDestination.set(dest, h);
        } else expect(h).toBe(earlier);
      }
    },
  );
});
