/**
 * What the classroom's sliders do to a scenario, in the Istio API's own fields — exactly the edit a user
 * would `kubectl apply`: the lesson route's `route[j].weight`, its `fault.delay.percentage.value` and
 * `fault.abort.percentage.value`, the DestinationRule's `trafficPolicy.loadBalancer.simple`, and the
 * share of requests one replica fails. Where the scenario has no VirtualService or DestinationRule to
 * edit, one is added (`classroom-fault`, `classroom-lb`), as a user would create it. Every edit is listed.
 */
import { loadManifestsOrThrow, type KubeObject, type WorkloadSpec } from '@meshsim/sim-core';
import type { ClassroomSettings, Lesson } from './types.js';

/** The scenario after the sliders: its objects, extra workload entries, and the edits in words. */
export interface AppliedSettings {
  readonly objects: readonly KubeObject[];
  readonly workloads: readonly WorkloadSpec[];
  readonly changes: readonly string[];
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown): string => (v === undefined ? '(unset)' : JSON.stringify(v));

/** Clamps a slider value to [0, 100]. */
function pct(v: number): number {
  if (!Number.isFinite(v)) throw new RangeError(`a percentage must be a number, got ${v}`);
  return Math.min(100, Math.max(0, v));
}

function withSpec(o: KubeObject, spec: unknown): KubeObject {
  // The source (file, lines) stays: edited fields still point at the lines the teacher is looking at.
  return { ...o, spec } as KubeObject;
}

const findObject = (objects: readonly KubeObject[], kind: string, ns: string, name: string): number =>
  objects.findIndex((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? 'default') === ns);

/** The fault stanza for the given percentages (undefined when both are 0). */
function faultStanza(l: NonNullable<Lesson['route']>['fault'], delay: number, abort: number): Obj | undefined {
  const out: Obj = {};
  if (delay > 0) out['delay'] = { fixedDelay: l.fixedDelay, percentage: { value: delay } };
  if (abort > 0) out['abort'] = { httpStatus: l.httpStatus, percentage: { value: abort } };
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Applies the settings to a scenario's objects. Pure: the objects given are not changed. */
export function applySettings(
  objects: readonly KubeObject[],
  lesson: Lesson,
  settings: ClassroomSettings,
): AppliedSettings {
  const out = [...objects];
  const changes: string[] = [];
  const added: string[] = [];
  const workloads: WorkloadSpec[] = [];
  const r = lesson.route;
  const delay = settings.delayPercent !== undefined ? pct(settings.delayPercent) : undefined;
  const abort = settings.abortPercent !== undefined ? pct(settings.abortPercent) : undefined;
  const faultFor = (l: NonNullable<Lesson['route']>['fault']) =>
    faultStanza(l, delay ?? l.delayPercent, abort ?? l.abortPercent);
  if (r !== undefined) {
    const i = findObject(out, 'VirtualService', r.namespace, r.name);
    const vs = out[i];
    if (vs === undefined)
      throw new RangeError(`the lesson's VirtualService ${r.namespace}/${r.name} is not among the objects`);
    const spec = clone(vs.spec) as Obj;
    const http = (spec['http'] as Obj[] | undefined)?.[r.httpIndex];
    if (!isObj(http)) throw new RangeError(`VirtualService ${r.namespace}/${r.name} has no spec.http[${r.httpIndex}]`);
    const at = `VirtualService ${r.namespace}/${r.name} spec.http[${r.httpIndex}]`;
    const routes = Array.isArray(http['route']) ? (http['route'] as Obj[]) : [];
    if (settings.canaryWeight !== undefined && routes.length > 1) {
      const w = Math.round(pct(settings.canaryWeight));
      routes.forEach((d, j) => {
        const next = j === 0 ? 100 - w : j === 1 ? w : 0;
        if (d['weight'] !== next) {
          changes.push(`${at}.route[${j}].weight: ${show(d['weight'])} → ${next}`);
          d['weight'] = next;
        }
      });
    }
    // Compared with the fault as written, read the same way, so an untouched value is no edit.
    if (
      (delay !== undefined || abort !== undefined) &&
      !same(faultFor(r.fault), faultStanza(r.fault, r.fault.delayPercent, r.fault.abortPercent))
    ) {
      const fault = faultFor(r.fault);
      {
        changes.push(`${at}.fault: ${show(http['fault'])} → ${show(fault)}`);
        if (fault === undefined) delete http['fault'];
        else http['fault'] = fault;
      }
    }
    if (changes.length > 0) out[i] = withSpec(vs, spec);
  } else if ((delay ?? 0) > 0 || (abort ?? 0) > 0) {
    const fault = faultFor({ delayPercent: 0, fixedDelay: '2s', abortPercent: 0, httpStatus: 503 });
    added.push(
      [
        'apiVersion: networking.istio.io/v1',
        'kind: VirtualService',
        'metadata:',
        '  name: classroom-fault',
        `  namespace: ${lesson.hostNamespace}`,
        'spec:',
        `  hosts: [${JSON.stringify(lesson.host)}]`,
        '  http:',
        `    - fault: ${JSON.stringify(fault)}`,
        '      route:',
        `        - destination: {host: ${JSON.stringify(lesson.host)}}`,
        '',
      ].join('\n'),
    );
    changes.push(`VirtualService ${lesson.hostNamespace}/classroom-fault added: spec.http[0].fault ${show(fault)}`);
  }
  if (settings.lbPolicy !== undefined && settings.lbPolicy !== lesson.lbPolicy) {
    const lb = settings.lbPolicy;
    const d = lesson.destinationRule;
    if (d !== undefined) {
      const i = findObject(out, 'DestinationRule', d.namespace, d.name);
      const dr = out[i];
      if (dr === undefined)
        throw new RangeError(`the lesson's DestinationRule ${d.namespace}/${d.name} is not among the objects`);
      const spec = clone(dr.spec) as Obj;
      const set = (policy: Obj, at: string): void => {
        const old = isObj(policy['loadBalancer']) ? policy['loadBalancer'] : {};
        const { consistentHash: _h, simple, ...rest } = old;
        if (simple === lb && _h === undefined) return;
        changes.push(
          `DestinationRule ${d.namespace}/${d.name} ${at}.loadBalancer.simple: ${show(simple)} → ${JSON.stringify(lb)}`,
        );
        policy['loadBalancer'] = { ...rest, simple: lb };
      };
      if (!isObj(spec['trafficPolicy'])) spec['trafficPolicy'] = {};
      set(spec['trafficPolicy'] as Obj, 'spec.trafficPolicy');
      // A subset's own policy overrides the top level (Istio merges subset policy over it): set those too.
      const subsets = Array.isArray(spec['subsets']) ? (spec['subsets'] as Obj[]) : [];
      subsets.forEach((s, j) => {
        if (isObj(s['trafficPolicy']) && isObj(s['trafficPolicy']['loadBalancer']))
          set(s['trafficPolicy'], `spec.subsets[${j}].trafficPolicy`);
      });
      out[i] = withSpec(dr, spec);
    } else {
      added.push(
        [
          'apiVersion: networking.istio.io/v1',
          'kind: DestinationRule',
          'metadata:',
          '  name: classroom-lb',
          `  namespace: ${lesson.hostNamespace}`,
          'spec:',
          `  host: ${JSON.stringify(lesson.host)}`,
          '  trafficPolicy:',
          `    loadBalancer: {simple: ${lb}}`,
          '',
        ].join('\n'),
      );
      changes.push(
        `DestinationRule ${lesson.hostNamespace}/classroom-lb added: spec.trafficPolicy.loadBalancer.simple ${JSON.stringify(lb)}`,
      );
    }
  }
  const rep = lesson.replica;
  if (
    rep !== undefined &&
    settings.replicaFailurePercent !== undefined &&
    pct(settings.replicaFailurePercent) !== rep.errorPercent
  ) {
    const p = pct(settings.replicaFailurePercent);
    workloads.push({
      namespace: rep.namespace,
      pod: rep.pod,
      behaviour: { errors: p > 0 ? [{ status: 503, probability: p / 100 }] : [] },
    });
    changes.push(`workload ${rep.namespace}/${rep.pod}: answers 503 to ${rep.errorPercent}% → ${p}% of requests`);
  }
  if (added.length > 0) {
    out.push(...loadManifestsOrThrow(added.map((text, k) => ({ file: `(classroom) added-${k + 1}.yaml`, text }))));
  }
  return { objects: out, workloads, changes };
}
