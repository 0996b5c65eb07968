// Model-based test of outlier detection: random sequences of responses, connect failures and elapsed time
// are applied to the real OutlierDetector (driven by a Simulation) and to a small reference model written
// from envoy-semantics.md §2.2–2.4; after every command ejections, counters, backoff and stats must agree.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { Simulation } from '../../engine/simulation.js';
import { constantRandom, hostsOnPorts, prioritySetOf } from '../lb/testHosts.js';
import { HealthFlag } from './healthFlags.js';
import type { Host } from './host.js';
import { OutlierDetector } from './outlierDetector.js';

interface Params {
  readonly n: number;
  readonly consecutive5xx: number;
  readonly consecutiveGateway: number;
  readonly enforceGateway: boolean;
  readonly maxPercent: number;
  readonly baseS: number;
  readonly intervalS: number;
  readonly maxS: number;
}

interface ModelHost {
  c5: number;
  cg: number;
  ejected: boolean;
  backoff: number;
  lastEject: number;
  lastUneject: number | undefined;
}

/** The reference model: the documented rules, written plainly. Times in µs. */
class Model {
  readonly hosts: ModelHost[];
  active = 0;
  overflow = 0;
  enforced = 0;
  now = 0;
  nextTick: number;

  constructor(readonly p: Params) {
    this.hosts = Array.from({ length: p.n }, () => ({
      c5: 0,
      cg: 0,
      ejected: false,
      backoff: 0,
      lastEject: 0,
      lastUneject: undefined,
    }));
    this.nextTick = p.intervalS * 1e6;
  }

  respond(i: number, code: number): void {
    const h = this.hosts[i] as ModelHost;
    if (code >= 500 && code <= 599) {
      if (code >= 502 && code <= 504) {
        h.cg++;
        if (h.cg === this.p.consecutiveGateway) this.trigger(i, 'gw');
      } else h.cg = 0;
      h.c5++;
      if (h.c5 === this.p.consecutive5xx) this.trigger(i, '5xx');
    } else {
      h.c5 = 0;
      h.cg = 0;
    }
  }

  private trigger(i: number, type: '5xx' | 'gw'): void {
    const h = this.hosts[i] as ModelHost;
    if (h.ejected) return; // no reset: the counter runs on past the threshold
    if ((100 * (this.active + 1)) / this.p.n > this.p.maxPercent) this.overflow++;
    else if (type === '5xx' || this.p.enforceGateway) {
      this.active++;
      this.enforced++;
      h.ejected = true;
      h.lastEject = this.now;
      if (h.backoff * this.p.baseS < this.p.maxS + this.p.baseS) h.backoff++;
    }
    if (type === '5xx') h.c5 = 0;
    else h.cg = 0;
  }

  advanceTo(t: number): void {
    while (this.nextTick <= t) {
      this.now = this.nextTick;
      this.tick();
      this.nextTick += this.p.intervalS * 1e6;
    }
    this.now = t;
  }

  private tick(): void {
    for (const h of this.hosts) {
      if (h.ejected && Math.min(this.p.baseS * h.backoff, this.p.maxS) * 1e6 <= this.now - h.lastEject) {
        h.ejected = false;
        this.active--;
        h.c5 = 0;
        h.cg = 0;
        h.lastUneject = this.now;
      }
    }
    for (const h of this.hosts) {
      if (
        !h.ejected &&
        h.lastUneject !== undefined &&
        this.now - h.lastUneject >= this.p.intervalS * 1e6 &&
        h.backoff > 0
      ) {
        h.backoff--;
      }
    }
  }
}

interface Real {
  sim: Simulation;
  hosts: Host[];
  detector: OutlierDetector;
}

function check(m: Model, r: Real): void {
  expect(r.detector.stats.ejections_active).toBe(m.active);
  expect(r.detector.stats.ejections_overflow).toBe(m.overflow);
  expect(r.detector.stats.ejections_enforced_total).toBe(m.enforced);
  r.hosts.forEach((h, i) => {
    const mh = m.hosts[i] as ModelHost;
    const mon = r.detector.monitor(h);
    expect(h.healthFlagGet(HealthFlag.FAILED_OUTLIER_CHECK)).toBe(mh.ejected);
    expect([mon.consecutive5xx, mon.consecutiveGatewayFailure, mon.ejectTimeBackoff]).toEqual([
      mh.c5,
      mh.cg,
      mh.backoff,
    ]);
  });
  // The max-ejection rule (current): never more than ⌊max% × N / 100⌋ hosts out.
  expect(m.active).toBeLessThanOrEqual(Math.floor((m.p.maxPercent * m.p.n) / 100));
}

class Respond implements fc.Command<Model, Real> {
  constructor(
    readonly host: number,
    readonly code: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const i = this.host % m.p.n;
    m.respond(i, this.code);
    r.detector.monitor(r.hosts[i] as Host).putHttpResponseCode(this.code);
    check(m, r);
  }
  toString(): string {
    return `respond(${this.host}, ${this.code})`;
  }
}

class ConnectFailure implements fc.Command<Model, Real> {
  constructor(readonly host: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const i = this.host % m.p.n;
    m.respond(i, 503); // not split: a connect failure is a 503
    r.detector.monitor(r.hosts[i] as Host).putResult('LocalOriginConnectFailed');
    check(m, r);
  }
  toString(): string {
    return `connectFailure(${this.host})`;
  }
}

class Advance implements fc.Command<Model, Real> {
  constructor(readonly ms: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const t = r.sim.now + this.ms * 1000;
    m.advanceTo(t);
    r.sim.run({ until: t });
    check(m, r);
  }
  toString(): string {
    return `advance(${this.ms}ms)`;
  }
}

const params = fc.record({
  n: fc.integer({ min: 1, max: 12 }),
  consecutive5xx: fc.integer({ min: 1, max: 6 }),
  consecutiveGateway: fc.integer({ min: 1, max: 6 }),
  enforceGateway: fc.boolean(),
  maxPercent: fc.constantFrom(10, 20, 34, 50, 100),
  baseS: fc.integer({ min: 1, max: 40 }),
  intervalS: fc.integer({ min: 1, max: 10 }),
  maxFactor: fc.integer({ min: 1, max: 4 }),
});

const commands = fc.commands(
  [
    fc.tuple(fc.nat({ max: 11 }), fc.constantFrom(200, 404, 500, 502, 503, 504)).map(([h, c]) => new Respond(h, c)),
    fc.nat({ max: 11 }).map((h) => new ConnectFailure(h)),
    fc.integer({ min: 0, max: 25_000 }).map((ms) => new Advance(ms)),
  ],
  { maxCommands: 200 },
);

test.prop([params, commands])('OutlierDetector behaves as the reference model', (p, cmds) => {
  const par: Params = { ...p, maxS: p.baseS * p.maxFactor };
  const sim = new Simulation();
  const hosts = hostsOnPorts(par.n);
  const detector = new OutlierDetector({
    prioritySet: prioritySetOf(hosts),
    config: {
      consecutive5xx: par.consecutive5xx,
      consecutiveGatewayFailure: par.consecutiveGateway,
      enforcingConsecutiveGatewayFailure: par.enforceGateway ? 100 : 0,
      maxEjectionPercent: par.maxPercent,
      baseEjectionTime: `${par.baseS}s`,
      maxEjectionTime: `${par.maxS}s`,
      interval: `${par.intervalS}s`,
      // Keep the interval detectors out of the model: no host ever has the volume they need.
      successRateRequestVolume: 1e9,
      failurePercentageRequestVolume: 1e9,
    },
    random: constantRandom(0),
    dispatcher: sim,
  });
  fc.modelRun(() => ({ model: new Model(par), real: { sim, hosts, detector } }), cmds);
});
