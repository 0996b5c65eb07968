// Circuit-breaker resources: Envoy's defaults and retry budget (resource_manager_impl.h), the connection-pool
// admission steps (conn_pool_base.cc), and a model-based test of both against plain counters.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createClusterTrafficStats, type ClusterTrafficStats } from './clusterStats.js';
import {
  attachPending,
  newStream,
  releaseConnection,
  releasePending,
  releaseRequest,
  tryCreateConnection,
} from './connPoolAdmission.js';
import { ClusterResourceManagers, ResourceManager } from './resourceManager.js';

describe('ResourceManager', () => {
  it('defaults to Envoy limits 1024 connections / pending / requests and 3 retries', () => {
    const rm = new ClusterResourceManagers().get();
    expect([rm.connections.max(), rm.pendingRequests.max(), rm.requests.max(), rm.retries.max()]).toEqual([
      1024, 1024, 1024, 3,
    ]);
  });

  it('reads DEFAULT and HIGH thresholds separately', () => {
    const rms = new ClusterResourceManagers({
      thresholds: [{ maxConnections: 1 }, { priority: 'HIGH', maxConnections: 7 }],
    });
    expect(rms.get('DEFAULT').connections.max()).toBe(1);
    expect(rms.get('HIGH').connections.max()).toBe(7);
  });

  it('keeps the open and remaining gauges current', () => {
    const rm = new ResourceManager('DEFAULT', { maxRequests: 2 });
    rm.requests.inc();
    expect(rm.gauges()).toMatchObject({ rq_open: 0, remaining_rq: 1 });
    rm.requests.inc();
    expect(rm.gauges()).toMatchObject({ rq_open: 1, remaining_rq: 0 });
    expect(rm.requests.canCreate()).toBe(false);
  });

  it('retry budget: max(budget% × (active + pending), min_retry_concurrency), remaining_retries pinned at 0', () => {
    const rm = new ResourceManager('DEFAULT', { retryBudget: { budgetPercent: { value: 20 } } });
    expect(rm.retries.max()).toBe(3); // nothing active: the minimum concurrency
    for (let i = 0; i < 40; i++) rm.requests.inc();
    for (let i = 0; i < 9; i++) rm.pendingRequests.inc();
    expect(rm.retries.max()).toBe(9); // trunc(0.2 × 49)
    expect(rm.gauges().remaining_retries).toBe(0);
    for (let i = 0; i < 9; i++) rm.retries.inc();
    expect(rm.retries.canCreate()).toBe(false);
  });

  it('a full max_requests overflows as upstream_rq_pending_overflow, even with a ready connection', () => {
    const rm = new ResourceManager('DEFAULT', { maxRequests: 1, maxPendingRequests: 1 });
    const stats = createClusterTrafficStats();
    expect(newStream(rm, stats, true)).toBe('attached');
    expect(newStream(rm, stats, true)).toBe('overflow');
    expect(newStream(rm, stats, false)).toBe('pending');
    expect(newStream(rm, stats, false)).toBe('overflow');
    expect(stats.upstream_rq_pending_overflow).toBe(2);
    // The pending stream finds max_requests still full when a connection is ready: overflow too.
    expect(attachPending(rm, stats)).toBe('overflow');
    expect(stats.upstream_rq_pending_overflow).toBe(3);
  });

  it('max_connections is shared by the whole cluster, but a host pool with no connection opens one anyway', () => {
    const rm = new ResourceManager('DEFAULT', { maxConnections: 1 });
    const stats = createClusterTrafficStats();
    expect(tryCreateConnection(rm, stats, false)).toBe(true); // pod A's first connection
    expect(tryCreateConnection(rm, stats, true)).toBe(false); // pod A again: over the limit
    expect(tryCreateConnection(rm, stats, false)).toBe(true); // pod B has none: opens regardless
    expect(stats.upstream_cx_overflow).toBe(2);
    expect(rm.connections.count()).toBe(2);
  });
});

// ---- model-based test ----------------------------------------------------------------------------------

interface Limits {
  readonly cx: number;
  readonly pending: number;
  readonly rq: number;
  readonly retries: number;
  readonly budget: boolean;
}

class CbModel {
  cx = 0;
  pending = 0;
  rq = 0;
  retries = 0;
  pendingOverflow = 0;
  cxOverflow = 0;
  /** Envoy sets the open gauge only on inc/dec: it reads 0 until the resource is first used. */
  rqTouched = false;
  constructor(readonly l: Limits) {}
  retryMax(): number {
    return this.l.budget ? Math.max(Math.trunc(0.2 * (this.rq + this.pending)), 3) : this.l.retries;
  }
}

interface CbReal {
  rm: ResourceManager;
  stats: ClusterTrafficStats;
}

function same(m: CbModel, r: CbReal): void {
  expect([r.rm.connections.count(), r.rm.pendingRequests.count(), r.rm.requests.count(), r.rm.retries.count()]).toEqual(
    [m.cx, m.pending, m.rq, m.retries],
  );
  expect([r.stats.upstream_rq_pending_overflow, r.stats.upstream_cx_overflow]).toEqual([
    m.pendingOverflow,
    m.cxOverflow,
  ]);
  expect(r.stats.upstream_rq_active).toBe(m.rq);
  expect(r.rm.retries.max()).toBe(m.retryMax());
  const g = r.rm.gauges();
  expect(g.remaining_rq).toBe(Math.max(0, m.l.rq - m.rq));
  expect(g.rq_open).toBe(m.rqTouched && m.rq >= m.l.rq ? 1 : 0);
  expect(g.remaining_pending).toBe(Math.max(0, m.l.pending - m.pending));
  expect(g.remaining_retries).toBe(m.l.budget ? 0 : Math.max(0, m.l.retries - m.retries));
}

const cmd = (
  name: string,
  when: (m: CbModel) => boolean,
  act: (m: CbModel, r: CbReal) => void,
): fc.Command<CbModel, CbReal> => ({
  check: (m) => when(m as CbModel),
  run: (m, r) => {
    act(m, r);
    same(m, r);
  },
  toString: () => name,
});

const cbCommands = fc.commands(
  [
    fc.boolean().map((ready) =>
      cmd(
        `newStream(${ready})`,
        () => true,
        (m, r) => {
          const d = newStream(r.rm, r.stats, ready);
          if (ready) {
            if (m.rq < m.l.rq) {
              m.rq++;
              m.rqTouched = true;
              expect(d).toBe('attached');
            } else {
              m.pendingOverflow++;
              expect(d).toBe('overflow');
            }
          } else if (m.pending < m.l.pending) {
            m.pending++;
            expect(d).toBe('pending');
          } else {
            m.pendingOverflow++;
            expect(d).toBe('overflow');
          }
        },
      ),
    ),
    fc.constant(
      cmd(
        'attachPending',
        (m) => m.pending > 0,
        (m, r) => {
          m.pending--;
          const d = attachPending(r.rm, r.stats);
          if (m.rq < m.l.rq) {
            m.rq++;
            m.rqTouched = true;
            expect(d).toBe('attached');
          } else {
            m.pendingOverflow++;
            expect(d).toBe('overflow');
          }
        },
      ),
    ),
    fc.constant(
      cmd(
        'releaseRequest',
        (m) => m.rq > 0,
        (m, r) => (m.rq--, releaseRequest(r.rm, r.stats)),
      ),
    ),
    fc.constant(
      cmd(
        'releasePending',
        (m) => m.pending > 0,
        (m, r) => (m.pending--, releasePending(r.rm, r.stats)),
      ),
    ),
    fc.boolean().map((has) =>
      cmd(
        `tryCreateConnection(${has})`,
        () => true,
        (m, r) => {
          const can = m.cx < m.l.cx;
          if (!can) m.cxOverflow++;
          const opened = can || !has;
          if (opened) m.cx++;
          expect(tryCreateConnection(r.rm, r.stats, has)).toBe(opened);
        },
      ),
    ),
    fc.constant(
      cmd(
        'releaseConnection',
        (m) => m.cx > 0,
        (m, r) => (m.cx--, releaseConnection(r.rm, r.stats)),
      ),
    ),
    fc.constant(
      cmd(
        'retry',
        () => true,
        (m, r) => {
          const can = m.retries < m.retryMax();
          expect(r.rm.retries.canCreate()).toBe(can);
          if (can) {
            m.retries++;
            r.rm.retries.inc();
          }
        },
      ),
    ),
    fc.constant(
      cmd(
        'retryDone',
        (m) => m.retries > 0,
        (m, r) => (m.retries--, r.rm.retries.dec()),
      ),
    ),
  ],
  { maxCommands: 300 },
);

test.prop([
  fc.record({
    cx: fc.integer({ min: 1, max: 5 }),
    pending: fc.integer({ min: 0, max: 5 }),
    rq: fc.integer({ min: 0, max: 20 }),
    retries: fc.integer({ min: 0, max: 4 }),
    budget: fc.boolean(),
  }),
  cbCommands,
])('circuit-breaker resources behave as plain bounded counters', (l, cmds) => {
  const rm = new ResourceManager('DEFAULT', {
    maxConnections: l.cx,
    maxPendingRequests: l.pending,
    maxRequests: l.rq,
    maxRetries: l.retries,
    ...(l.budget ? { retryBudget: {} } : {}),
  });
  fc.modelRun(() => ({ model: new CbModel(l), real: { rm, stats: createClusterTrafficStats() } }), cmds);
});
