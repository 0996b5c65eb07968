/**
 * The checks of a scenario that need the cluster its manifests describe: a workload selector or a traffic
 * source that matches no pod or VM, a pod that does not exist, a replica index past the replica count, an
 * event on an object or node that is not there at that time, an expectation naming an unknown service or
 * workload. Everything comes from sim-core's mesh model (`buildMeshModel`): pods with their real,
 * deterministic names, Istio's default installation, the registry's hosts, and the VMs of the scenario with
 * the WorkloadEntries they auto-register.
 */
import {
  buildMeshModel,
  formatLabels,
  selectorMatches,
  type Cluster,
  type FieldPath,
  type KubeObject,
  type Labels,
  type MeshModel,
  type MeshModelOptions,
} from '@meshsim/sim-core';
import { suggestion } from '../schema/didYouMean.js';
import { describeTarget } from '../schema/normalize/events.js';
import type { InstanceTarget } from '../schema/types/common.js';
import type { RequestFilter } from '../schema/types/expect.js';
import type { Scenario } from '../schema/types/scenario.js';
import { isGatewaySource } from '../schema/types/traffic.js';
import { findObject, identityOf, type ObjectProblem } from './objects.js';

/** A workload instance a scenario can target. */
export interface Instance {
  readonly kind: 'Pod' | 'WorkloadEntry';
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** The workload it belongs to (Deployment, StatefulSet, bare Pod, or the WorkloadEntry's group or own name). */
  readonly workload: string;
}

/** What the checks need to know about one state of the cluster. */
export interface ClusterView {
  readonly instances: readonly Instance[];
  /** Node names, VM (WorkloadEntry) names: what a partition can cut off. */
  readonly nodes: readonly string[];
  /** Service hosts: Kubernetes Services' FQDNs and ServiceEntry hosts (wildcards kept as written). */
  readonly hosts: readonly string[];
  readonly services: readonly { readonly namespace: string; readonly name: string }[];
}

/** The view of the cluster `objects` describe, as sim-core's mesh model builds it (with Istio's default install and the VMs). */
export function clusterView(objects: readonly KubeObject[], options: MeshModelOptions = {}): ClusterView {
  return viewOfModel(buildMeshModel(objects, options));
}

/** The view of a built mesh model. */
export function viewOfModel(model: MeshModel): ClusterView {
  const cluster: Cluster = model.cluster;
  const instances: Instance[] = cluster.pods.map((p) => ({
    kind: 'Pod',
    namespace: p.namespace,
    name: p.name,
    labels: p.labels,
    workload: p.workload.name,
  }));
  for (const we of model.istio.workloadEntries) {
    const spec = (we.spec ?? {}) as { labels?: unknown };
    // An auto-registered entry belongs to its WorkloadGroup (istio.io/autoRegistrationGroup), as its workload.
    const group = we.metadata.annotations?.['istio.io/autoRegistrationGroup'];
    instances.push({
      kind: 'WorkloadEntry',
      namespace: we.metadata.namespace ?? 'default',
      name: we.metadata.name,
      labels: labelsOf(spec.labels),
      workload: group ?? we.metadata.name,
    });
  }
  instances.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  return {
    instances,
    nodes: [...cluster.nodes.map((n) => n.name), ...model.virtualMachines.map((vm) => vm.name)],
    hosts: model.registry.services.map((s) => s.hostname),
    services: cluster.services.map((s) => ({ namespace: s.namespace, name: s.name })),
  };
}

/** The instances a target selects (before `replica`), ordered by name. */
export function selectInstances(view: ClusterView, target: InstanceTarget): Instance[] {
  return view.instances.filter(
    (i) =>
      i.namespace === target.namespace &&
      (target.pod !== undefined
        ? i.kind === 'Pod' && i.name === target.pod
        : target.selector !== undefined && selectorMatches(target.selector, i.labels)),
  );
}

/** A problem when `target` selects nothing in `view` (or its replica index is past the matches). */
export function checkTarget(view: ClusterView, target: InstanceTarget, path: FieldPath): ObjectProblem | undefined {
  const matches = selectInstances(view, target);
  const inNamespace = view.instances.filter((i) => i.namespace === target.namespace);
  if (matches.length === 0) {
    if (target.pod !== undefined) {
      const pods = inNamespace.filter((i) => i.kind === 'Pod').map((i) => i.name);
      const ofWorkload = inNamespace.filter((i) => i.kind === 'Pod' && i.workload === target.pod);
      if (ofWorkload.length > 0) {
        // The name of a Deployment given where a pod's is expected: the pods have generated names.
        return {
          path: [...path, 'pod'],
          message: `pod ${target.namespace}/${target.pod} does not exist: ${target.pod} names a workload, whose pods are ${ofWorkload.map((i) => i.name).join(', ')}; select them by label (selector: {matchLabels: {${Object.entries(
            userLabels(ofWorkload[0]?.labels ?? {}),
          )
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}}}) or name one`,
        };
      }
      return {
        path: [...path, 'pod'],
        message: `pod ${target.namespace}/${target.pod} does not exist${suggestion(target.pod, pods)} (${listing('pods', target.namespace, pods)})`,
      };
    }
    const workloads = [
      ...new Map(
        inNamespace.map((i) => [i.workload, `${i.workload} {${formatLabels(userLabels(i.labels))}}`]),
      ).values(),
    ];
    return {
      path: [...path, 'selector'],
      message: `the selector matches no pod or WorkloadEntry in namespace ${target.namespace} (${listing('workloads', target.namespace, workloads)})`,
    };
  }
  if (target.replica !== undefined && target.replica >= matches.length) {
    return {
      path: [...path, 'replica'],
      message: `replica ${target.replica} does not exist: ${describeTarget({ ...target, replica: undefined })} has ${matches.length} instance${matches.length === 1 ? '' : 's'} (indexes 0–${matches.length - 1})`,
    };
  }
  return undefined;
}

function listing(what: string, namespace: string, names: readonly string[]): string {
  if (names.length === 0) return `namespace ${namespace} has no ${what}`;
  return `${what} in ${namespace}: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}`;
}

/**
 * Every model problem of `scenario`. `states` gives the objects of the base cluster, of each variant, and
 * of the cluster as events change it: `eventObjects(i)` is the object set just before event `i` runs.
 */
export function modelProblems(
  scenario: Scenario,
  base: readonly KubeObject[],
  variantObjects: (index: number) => readonly KubeObject[],
  eventObjects: (index: number) => readonly KubeObject[],
  modelOptions: (variantIndex?: number) => MeshModelOptions = () => ({}),
): ObjectProblem[] {
  const problems: ObjectProblem[] = [];
  const push = (p: ObjectProblem | undefined) => void (p !== undefined && problems.push(p));
  const views = new Map<readonly KubeObject[], ClusterView>();
  const viewOf = (objects: readonly KubeObject[], variantIndex?: number): ClusterView => {
    let v = views.get(objects);
    if (v === undefined) {
      const model = buildMeshModel(objects, modelOptions(variantIndex));
      if (variantIndex === undefined && objects === base) problems.push(...vmProblems(scenario, model));
      views.set(objects, (v = viewOfModel(model)));
    }
    return v;
  };
  const baseView = viewOf(base);

  scenario.workloads.forEach((w, i) => push(checkTarget(baseView, w, ['workloads', i])));
  scenario.traffic.forEach((t, i) => {
    if (!isGatewaySource(t.from)) {
      push(checkTarget(baseView, t.from, ['traffic', i, 'from']));
      return;
    }
    const { namespace, name } = t.from.gateway;
    if (!baseView.services.some((s) => s.namespace === namespace && s.name === name)) {
      const names = baseView.services.filter((s) => s.namespace === namespace).map((s) => s.name);
      push({
        path: ['traffic', i, 'from', 'gateway', 'name'],
        message: `the gateway Service ${namespace}/${name} does not exist${suggestion(name, names)} (${listing('Services', namespace, names)})`,
      });
    }
  });

  scenario.events.forEach((e, i) => {
    const objects = eventObjects(i);
    const view = () => viewOf(objects);
    if ('kill' in e) push(checkTarget(view(), e.kill, ['events', i, 'kill']));
    else if ('unready' in e) push(checkTarget(view(), e.unready, ['events', i, 'unready']));
    else if ('ready' in e) push(checkTarget(view(), e.ready, ['events', i, 'ready']));
    else if ('setWorkload' in e) push(checkTarget(view(), e.setWorkload, ['events', i, 'setWorkload']));
    else if ('scale' in e) {
      const found = findObject(objects, { kind: e.scale.kind, namespace: e.scale.namespace, name: e.scale.name });
      if (typeof found === 'string') push({ path: ['events', i, 'scale', 'name'], message: found });
    } else if ('partition' in e || 'heal' in e) {
      const node = 'partition' in e ? e.partition.node : e.heal.node;
      const nodes = view().nodes;
      if (!nodes.includes(node)) {
        push({
          path: ['events', i, 'partition' in e ? 'partition' : 'heal', 'node'],
          message: `node ${JSON.stringify(node)} does not exist${suggestion(node, nodes)} (nodes and VMs: ${nodes.join(', ')})`,
        });
      }
    } else if ('delete' in e) {
      e.delete.forEach((d, j) => {
        if ('path' in d) return; // a file's objects: checked when the files are read
        const found = findObject(objects, d);
        if (typeof found === 'string') push({ path: ['events', i, 'delete', j], message: found });
      });
    }
  });

  scenario.variants.forEach((v, i) => {
    const view = viewOf(variantObjects(i), i);
    v.workloads.forEach((w, j) => push(checkTarget(view, w, ['variants', i, 'workloads', j])));
  });

  // A service or workload an expectation names must exist in some state of the run.
  const everyView = [
    baseView,
    ...scenario.variants.map((_, i) => viewOf(variantObjects(i), i)),
    ...scenario.events.map((_, i) => viewOf(eventObjects(i))),
  ];
  const hosts = new Set(everyView.flatMap((v) => v.hosts));
  const workloads = new Set(everyView.flatMap((v) => v.instances.map((x) => x.workload)));
  scenario.expect.forEach((x, i) => {
    const filters: [RequestFilter, FieldPath][] = [[x.of, ['expect', i, 'of']]];
    if (x.share !== undefined) filters.push([x.share.to, ['expect', i, 'share', 'to']]);
    for (const [f, path] of filters) {
      const service = f.destination?.service;
      if (service !== undefined) {
        const host = service.includes('.')
          ? service
          : `${service}.${f.destination?.namespace ?? 'default'}.svc.cluster.local`;
        if (![...hosts].some((h) => hostMatches(h, host))) {
          push({
            path: [...path, 'destination', 'service'],
            message: `no Service or ServiceEntry host ${JSON.stringify(host)}${suggestion(host, [...hosts])}`,
          });
        }
      }
      for (const side of ['source', 'destination'] as const) {
        const workload = f[side]?.workload;
        if (workload !== undefined && !workloads.has(workload)) {
          push({
            path: [...path, side, 'workload'],
            message: `no workload named ${JSON.stringify(workload)}${suggestion(workload, [...workloads])}`,
          });
        }
      }
    }
  });
  return problems;
}

// A VM whose WorkloadGroup is missing (or cannot take it) does not join: istiod's auto-registration refuses it.
function vmProblems(scenario: Scenario, model: MeshModel): ObjectProblem[] {
  return model.diagnostics.flatMap((d) => {
    if (d.code !== 'AutoRegistrationFailed') return [];
    const index = scenario.vms.findIndex((vm) => vm.autoRegisterGroup === d.name && vm.namespace === d.namespace);
    return index < 0 ? [] : [{ path: ['vms', index, 'autoRegisterGroup'], message: d.message }];
  });
}

/** Objects in time order: base, then every event's changes (`apply` replaces by identity, `scale` edits replicas). */
export function objectsBeforeEachEvent(
  base: readonly KubeObject[],
  scenario: Scenario,
  applied: (eventIndex: number) => readonly KubeObject[],
  deletedByPath: (eventIndex: number) => readonly KubeObject[],
): (readonly KubeObject[])[] {
  const states: (readonly KubeObject[])[] = [];
  let byId = new Map(base.map((o) => [identityOf(o), o]));
  let current: readonly KubeObject[] = base;
  scenario.events.forEach((e, i) => {
    states.push(current);
    let changed = true;
    if ('apply' in e) for (const o of applied(i)) byId.set(identityOf(o), o);
    else if ('delete' in e) {
      for (const d of e.delete) {
        if ('path' in d) continue;
        const found = findObject([...byId.values()], d);
        if (typeof found !== 'string') byId.delete(identityOf(found));
      }
      for (const o of deletedByPath(i)) byId.delete(identityOf(o));
    } else if ('scale' in e) {
      const found = findObject([...byId.values()], {
        kind: e.scale.kind,
        namespace: e.scale.namespace,
        name: e.scale.name,
      });
      if (typeof found !== 'string') {
        byId.set(identityOf(found), { ...found, spec: { ...(found.spec as object), replicas: e.scale.replicas } });
      }
    } else changed = false;
    if (changed) {
      byId = new Map(byId);
      current = [...byId.values()];
    }
  });
  return states;
}

// A ServiceEntry host may be a wildcard (`*.example.com` matches `a.example.com`).
function hostMatches(pattern: string, host: string): boolean {
  return pattern === host || (pattern.startsWith('*') && host.endsWith(pattern.slice(1)));
}

// The labels a user wrote: without those controllers add (ReplicaSet's pod-template-hash, StatefulSet's
// revision) and those Istio's injector adds (tlsMode, canonical name and revision).
const CONTROLLER_LABELS = [
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'security.istio.io/tlsMode',
  'service.istio.io/canonical-name',
  'service.istio.io/canonical-revision',
];

function userLabels(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (!CONTROLLER_LABELS.includes(k)) out[k] = v;
  return out;
}

function labelsOf(value: unknown): Labels {
  if (typeof value !== 'object' || value === null) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
