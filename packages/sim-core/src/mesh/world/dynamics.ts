/**
 * Timed changes as a cluster lives them. Configuration (`apply`, `delete`, `scale`) rebuilds the model with
 * `withChanges`; istiod debounces the event (`PILOT_DEBOUNCE_AFTER`, 100 ms) and pushes every proxy, each
 * receiving its push after its own delay — until then it routes with the old configuration. New pods start
 * (`podStartup`), pass their first readiness probe and join the endpoints with the next push; removed pods
 * leave the endpoints at once and die after Envoy's drain (`terminationDrainDuration`, 5 s); their address
 * then answers nothing. A killed pod's containers crash: its connections break, new ones are refused (the
 * pod's network namespace stays), its endpoint leaves with the next push, and the kubelet restarts it in
 * place (same name and address) after `podStartup`. `unready` takes effect after
 * `failureThreshold` failed probes, `ready` after `successThreshold` passed ones, each probe every
 * period at the instance's own phase — the app container's `readinessProbe` timing (else the `dynamics`
 * defaults), a VM's WorkloadGroup `probe` (without one a VM's readiness is never reported). Randomness: `dynamics/push/<proxy>`, `dynamics/startup`,
 * `dynamics/probe-phase/<pod>`.
 */
import { Priority } from '../../engine/eventQueue.js';
import type { RandomStream } from '../../engine/rng.js';
import { ms, s, type Duration, type SimTime } from '../../engine/time.js';
import { ConfigError } from '../../errors.js';
import type { Draft } from 'immer';
import type { KubeObject } from '../../k8s/object.js';
import { withChanges, type MeshModelDraft } from '../../istio/model/withChanges.js';
import { compileBehaviour } from '../app/compileApp.js';
import { compileDistribution, lognormal, type Distribution } from '../app/distribution.js';
import type { TimedChange, WorldChange } from './changes.js';
import type { Instance } from './instance.js';
import { DEFAULT_PROBE, readinessProbe, type ProbeTiming } from './readiness.js';
import { behaviourOf, checkTarget, selectInstances, type WorkloadSpec } from './workloads.js';
import type { World } from './world.js';

/** Istio's default `terminationDrainDuration`. */
const DRAIN = s(5);

/** Schedules `changes` on `world`'s clock (URGENT: a change at t applies before traffic at t). */
export function applyTimedChanges(world: World, changes: readonly TimedChange[]): Dynamics {
  const d = new Dynamics(world);
  changes.forEach((c, k) => {
    const ch = c.change;
    if (ch.kind === 'setWorkload') checkWorkloadChange(world, ch.workload, `events[${k}].change.workload`);
    if (ch.kind === 'kill' || ch.kind === 'unready' || ch.kind === 'ready')
      checkTarget(ch.target, `events[${k}].change.target`);
  });
  for (const c of changes) {
    world.sim.at(c.at, () => d.apply(c.change, c.name), Priority.URGENT, `change ${c.name ?? c.change.kind}`);
  }
  return d;
}

/**
 * Fails before the run (not in the middle of it) when a `setWorkload` entry, layered over the entries in
 * force at the start, gives some instance an invalid behaviour (e.g. error probabilities summing over 1).
 */
function checkWorkloadChange(world: World, workload: WorkloadSpec, field: string): void {
  checkTarget(workload, field);
  const specs = [...world.workloads, workload];
  for (const i of selectInstances(workload, world.instances)) {
    compileBehaviour(behaviourOf(i, specs, world.instances), { field: `${field} (${i.key})` });
  }
}

/** The world's reaction to changes. */
export class Dynamics {
  private readonly world: World;
  private readonly debounce: Duration;
  private readonly pushDelay: Distribution;
  private readonly startup: Distribution;
  private readonly defaultProbe: ProbeTiming;
  // Each instance's probe timing and phase (drawn once), or null when its readiness is never reported.
  private readonly probes = new WeakMap<Instance, { timing: ProbeTiming; phase: number } | null>();
  private pushScheduled = false;
  private readonly startupRng: RandomStream;

  constructor(world: World) {
    this.world = world;
    const d = world.options.dynamics ?? {};
    this.debounce = d.debounce ?? ms(100);
    this.pushDelay = compileDistribution(d.pushDelay ?? lognormal(ms(5), ms(50)), { field: 'dynamics.pushDelay' });
    this.startup = compileDistribution(d.podStartup ?? { kind: 'constant', value: s(2) }, {
      field: 'dynamics.podStartup',
    });
    this.defaultProbe = {
      period: d.probePeriod ?? DEFAULT_PROBE.period,
      failureThreshold: d.failureThreshold ?? DEFAULT_PROBE.failureThreshold,
      successThreshold: d.successThreshold ?? DEFAULT_PROBE.successThreshold,
    };
    this.startupRng = world.sim.rng.stream('dynamics/startup');
  }

  /** Applies one change now. */
  apply(change: WorldChange, name?: string): void {
    const w = this.world;
    w.sim.record('change', JSON.stringify({ name: name ?? change.kind, kind: change.kind }));
    switch (change.kind) {
      case 'apply':
        return this.editModel((draft) => {
          for (const obj of change.objects) upsert(draft.objects as KubeObject[], obj);
        });
      case 'delete':
        return this.editModel((draft) => {
          const list = draft.objects as KubeObject[];
          for (const ref of change.refs) {
            const i = list.findIndex(
              (o) =>
                o.kind === ref.kind &&
                o.metadata.name === ref.name &&
                (o.metadata.namespace ?? 'default') === (ref.namespace ?? 'default'),
            );
            if (i >= 0) list.splice(i, 1);
          }
        });
      case 'scale':
        return this.editModel((draft) => {
          const list = draft.objects as KubeObject[];
          const kind = change.workloadKind ?? 'Deployment';
          const obj = list.find(
            (o) =>
              o.kind === kind &&
              o.metadata.name === change.name &&
              (o.metadata.namespace ?? 'default') === (change.namespace ?? 'default'),
          );
          if (obj === undefined) {
            throw new ConfigError(
              `scale: ${kind} ${change.namespace ?? 'default'}/${change.name} not found`,
              { field: 'events.scale' },
              'world',
            );
          }
          (obj as { spec: Record<string, unknown> }).spec['replicas'] = change.replicas;
        });
      case 'kill':
        for (const i of selectInstances(change.target, w.instances)) this.kill(i);
        return;
      case 'unready':
        for (const i of selectInstances(change.target, w.instances)) {
          this.afterProbes(i, 'failure', () => this.setState(i, 'unready'));
          if (change.duration !== undefined)
            w.sim.schedule(change.duration, () => this.afterProbes(i, 'success', () => this.setState(i, 'ready')));
        }
        return;
      case 'ready':
        for (const i of selectInstances(change.target, w.instances))
          this.afterProbes(i, 'success', () => this.setState(i, 'ready'));
        return;
      case 'setWorkload': {
        const before = w.workloads;
        w.setWorkloads([...before, change.workload]);
        if (change.duration !== undefined) {
          w.sim.schedule(change.duration, () => w.setWorkloads(w.workloads.filter((x) => x !== change.workload)));
        }
        return;
      }
      case 'partition':
        w.network.addPartition({
          from: w.sim.now,
          ...(change.duration !== undefined ? { until: w.sim.now + change.duration } : {}),
          nodes: [change.node],
        });
        return;
      case 'heal':
        w.network.heal(change.node, w.sim.now);
        return;
    }
  }

  /** Schedules a push to every proxy (coalesced within istiod's debounce). */
  schedulePush(): void {
    if (this.pushScheduled) return;
    this.pushScheduled = true;
    const w = this.world;
    w.sim.schedule(
      this.debounce,
      () => {
        this.pushScheduled = false;
        w.kubeProxy.sync(w.model.cluster);
        for (const i of w.instances) {
          const proxy = i.proxy;
          if (proxy === undefined || i.state === 'dead') continue;
          const delay = this.pushDelay.sample(w.sim.rng.stream(`dynamics/push/${proxy.name}`));
          w.sim.schedule(
            delay,
            () => {
              if (i.state === 'dead' || i.proxy !== proxy) return;
              const mp = w.model.proxies.find((p) => p.id === proxy.id) ?? proxy.meshProxy;
              proxy.applyConfig(w.proxyConfigFor(mp));
              w.sim.record('xds.push', JSON.stringify({ proxy: proxy.name }));
            },
            Priority.URGENT,
            `xds push ${proxy.name}`,
          );
        }
      },
      Priority.URGENT,
      'istiod debounce',
    );
  }

  private editModel(recipe: (draft: Draft<MeshModelDraft>) => void): void {
    const w = this.world;
    const next = withChanges(w.model, recipe);
    if (next === w.model) return;
    const { added, removed } = w.setModel(next);
    for (const i of added) this.startPod(i);
    for (const i of removed) this.terminate(i);
    this.schedulePush();
  }

  private startPod(i: Instance): void {
    const w = this.world;
    i.state = 'starting';
    const t = this.startup.sample(this.startupRng);
    w.sim.schedule(t, () => this.afterProbes(i, 'success', () => this.setState(i, 'ready')));
  }

  // A removed pod leaves the endpoints now; Envoy drains, then the pod is gone.
  private terminate(i: Instance): void {
    const w = this.world;
    if (i.state !== 'dead') i.state = 'unready';
    w.sim.schedule(DRAIN, () => this.die(i, false));
  }

  // Its containers crash; the kubelet restarts them in the same pod (same name and address).
  private kill(i: Instance): void {
    this.die(i, true);
    const t = this.startup.sample(this.startupRng);
    this.world.sim.schedule(t, () => {
      i.crashed = false;
      this.world.restartInstance(i);
      i.state = 'starting';
      this.afterProbes(i, 'success', () => this.setState(i, 'ready'));
    });
  }

  private die(i: Instance, abrupt: boolean): void {
    if (i.state === 'dead') return;
    i.state = 'dead';
    i.crashed = abrupt;
    for (const c of [...i.connections]) c.peerDied();
    i.proxy?.dispose();
    this.world.sim.record('instance.dead', JSON.stringify({ instance: i.key, abrupt }));
    // The kubelet reports the pod gone; the endpoint leaves with the next push.
    this.schedulePush();
  }

  private setState(i: Instance, state: 'ready' | 'unready'): void {
    if (i.state === 'dead' || i.state === state) return;
    i.state = state;
    this.world.sim.record('instance.state', JSON.stringify({ instance: i.key, state }));
    this.schedulePush();
  }

  // The kubelet (a VM's agent) probes every `period` at the instance's own phase; `failureThreshold` failed
  // or `successThreshold` passed probes in a row change its readiness. Without a reported probe (a VM whose
  // WorkloadGroup has none) nothing changes for the endpoints.
  private afterProbes(i: Instance, result: 'failure' | 'success', then: () => void): void {
    const w = this.world;
    let probe = this.probes.get(i);
    if (probe === undefined) {
      const timing = readinessProbe(w.model, i, this.defaultProbe);
      probe =
        timing === null
          ? null
          : { timing, phase: w.sim.rng.stream(`dynamics/probe-phase/${i.key}`).float() * timing.period };
      this.probes.set(i, probe);
    }
    if (probe === null) {
      // Nothing reports readiness: the endpoint is healthy as soon as the instance runs, whatever the app does.
      if (result === 'success') then();
      else w.sim.record('instance.state', JSON.stringify({ instance: i.key, ignored: 'readiness is not reported' }));
      return;
    }
    const { period, failureThreshold, successThreshold } = probe.timing;
    const n = result === 'failure' ? failureThreshold : successThreshold;
    const now = w.sim.now;
    const sinceFirst = (((now - probe.phase) % period) + period) % period;
    const nextProbe = now + (sinceFirst === 0 ? 0 : period - sinceFirst);
    const at: SimTime = Math.round(nextProbe + (n - 1) * period);
    w.sim.at(Math.max(at, now), then);
  }
}

function upsert(list: KubeObject[], obj: KubeObject): void {
  const ns = obj.metadata.namespace ?? 'default';
  const i = list.findIndex(
    (o) =>
      o.kind === obj.kind &&
      o.apiVersion.split('/')[0] === obj.apiVersion.split('/')[0] &&
      o.metadata.name === obj.metadata.name &&
      (o.metadata.namespace ?? 'default') === ns,
  );
  if (i >= 0) list[i] = obj;
  else list.push(obj);
}
