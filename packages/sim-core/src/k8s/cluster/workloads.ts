/**
 * From workload objects to the pods their controllers create: Deployment → ReplicaSet → pods,
 * ReplicaSet → pods, StatefulSet → `<name>-<ordinal>` pods, and bare Pods. Pods that a `kubectl get -o yaml`
 * dump brings along (owned by a ReplicaSet/StatefulSet of the manifests) replace the generated ones, so a
 * dump reproduces the real cluster's pods, names and addresses.
 */
import { asArray, asNumber, asRecord, asString, compareStrings, dig } from '../json.js';
import { readLabels, type Labels } from '../labels.js';
import type { KubeObject, ObjectSource } from '../object.js';
import { podTemplateHash, replicaSetPodNames } from './podTemplateHash.js';
import type { WorkloadRef } from './types.js';

/** A pod about to be created: what the controller sends to the apiserver, before admission. */
export interface PodDraft {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly workload: WorkloadRef;
  readonly source: ObjectSource;
  /** Index of the replica within its controller (0 for a bare pod): spreads replicas over nodes. */
  readonly replica: number;
  /** A dumped pod that already exists: keeps its status and skips admission. */
  readonly existing: boolean;
  /** Kept status of a dumped pod (`podIP`, `hostIP`, `phase`, `conditions`). */
  readonly status?: Readonly<Record<string, unknown>>;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'Pod']);

/** Every pod the workload objects in `objects` lead to, sorted by namespace and name. */
export function podDrafts(objects: readonly KubeObject[]): PodDraft[] {
  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
  const deployments = workloads.filter((o) => o.kind === 'Deployment');
  const key = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;
  const deploymentNames = new Set(deployments.map((d) => key(d.metadata.namespace, d.metadata.name)));

  // Which Deployment owns a ReplicaSet: by ownerReference, else by the `<deployment>-<hash>` naming rule.
  const deploymentOfReplicaSet = (
    ns: string | undefined,
    rsName: string,
    owners: KubeObject['metadata']['ownerReferences'],
  ): string | undefined => {
    const owner = owners?.find((o) => o.kind === 'Deployment');
    if (owner !== undefined && deploymentNames.has(key(ns, owner.name))) return owner.name;
    const cut = rsName.lastIndexOf('-');
    if (cut > 0 && deploymentNames.has(key(ns, rsName.slice(0, cut)))) return rsName.slice(0, cut);
    return undefined;
  };

  // Dumped pods that belong to a controller of the manifests.
  const dumped = new Map<string, KubeObject[]>();
  const controllerOfPod = (pod: KubeObject): string | undefined => {
    const owner = pod.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet' || o.kind === 'StatefulSet');
    if (owner === undefined) return undefined;
    const ns = pod.metadata.namespace;
    if (owner.kind === 'StatefulSet') return key(ns, `StatefulSet/${owner.name}`);
    const deployment = deploymentOfReplicaSet(ns, owner.name, undefined);
    return deployment !== undefined ? key(ns, `Deployment/${deployment}`) : key(ns, `ReplicaSet/${owner.name}`);
  };
  for (const pod of workloads.filter((o) => o.kind === 'Pod')) {
    const controller = controllerOfPod(pod);
    if (controller !== undefined) dumped.set(controller, [...(dumped.get(controller) ?? []), pod]);
  }
  const controllerKeys = new Set(
    workloads.filter((o) => o.kind !== 'Pod').map((o) => key(o.metadata.namespace, `${o.kind}/${o.metadata.name}`)),
  );

  const out: PodDraft[] = [];
  for (const obj of workloads) {
    const ns = obj.metadata.namespace ?? 'default';
    switch (obj.kind) {
      case 'Pod': {
        const controller = controllerOfPod(obj);
        if (controller !== undefined && controllerKeys.has(controller)) break; // emitted with its controller
        out.push(fromPodObject(obj, { kind: 'Pod', apiVersion: 'v1', name: obj.metadata.name }, 0));
        break;
      }
      case 'Deployment':
      case 'ReplicaSet':
      case 'StatefulSet': {
        if (
          obj.kind === 'ReplicaSet' &&
          deploymentOfReplicaSet(ns, obj.metadata.name, obj.metadata.ownerReferences) !== undefined
        ) {
          break; // a Deployment's ReplicaSet from a dump: the Deployment makes the pods
        }
        const ref: WorkloadRef = { kind: obj.kind, apiVersion: 'apps/v1', name: obj.metadata.name };
        const existing = dumped.get(key(ns, `${obj.kind}/${obj.metadata.name}`));
        if (existing !== undefined) {
          [...existing]
            .sort((a, b) => compareStrings(a.metadata.name, b.metadata.name))
            .forEach((pod, i) => out.push(fromPodObject(pod, ref, i)));
        } else {
          out.push(...fromController(obj, ref));
        }
        break;
      }
    }
  }
  return out.sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
}

function fromPodObject(obj: KubeObject, workload: WorkloadRef, replica: number): PodDraft {
  const spec = asRecord(obj.spec) ?? {};
  const status = asRecord(obj.status);
  const containers = asArray(spec['containers']);
  const injected =
    obj.metadata.annotations?.['sidecar.istio.io/status'] !== undefined ||
    [...containers, ...asArray(spec['initContainers'])].some((c) => asRecord(c)?.['name'] === 'istio-proxy');
  return {
    name: obj.metadata.name,
    namespace: obj.metadata.namespace ?? 'default',
    labels: readLabels(obj.metadata.labels),
    annotations: readLabels(obj.metadata.annotations),
    spec,
    workload,
    source: obj.source,
    replica,
    existing: injected || asString(status?.['podIP']) !== undefined,
    ...(status !== undefined ? { status } : {}),
  };
}

function fromController(obj: KubeObject, workload: WorkloadRef): PodDraft[] {
  const ns = obj.metadata.namespace ?? 'default';
  const template = asRecord(dig(obj.spec, 'template')) ?? {};
  const meta = asRecord(template['metadata']) ?? {};
  const spec = asRecord(template['spec']) ?? {};
  const replicasField = asNumber(dig(obj.spec, 'replicas'));
  const replicas = Math.max(0, Math.floor(replicasField ?? 1));
  const baseLabels = readLabels(meta['labels']);
  const annotations = readLabels(meta['annotations']);
  const hash = podTemplateHash({ metadata: meta, spec });

  if (obj.kind === 'StatefulSet') {
    const serviceName = asString(dig(obj.spec, 'serviceName'));
    return Array.from({ length: replicas }, (_, i) => {
      const name = `${obj.metadata.name}-${i}`;
      return {
        name,
        namespace: ns,
        labels: {
          ...baseLabels,
          'apps.kubernetes.io/pod-index': String(i),
          'controller-revision-hash': `${obj.metadata.name}-${hash}`,
          'statefulset.kubernetes.io/pod-name': name,
        },
        annotations,
        // The StatefulSet controller sets hostname and subdomain (`newVersionedStatefulSetPod`).
        spec: { ...spec, hostname: name, ...(serviceName ? { subdomain: serviceName } : {}) },
        workload,
        source: obj.source,
        replica: i,
        existing: false,
      };
    });
  }

  // Deployment pods live in ReplicaSet `<deployment>-<hash>` and carry the `pod-template-hash` label;
  // a bare ReplicaSet's pods are named after it and carry no extra label.
  const rsName = obj.kind === 'Deployment' ? `${obj.metadata.name}-${hash}` : obj.metadata.name;
  const labels = obj.kind === 'Deployment' ? { ...baseLabels, 'pod-template-hash': hash } : baseLabels;
  return replicaSetPodNames(rsName, replicas).map((name, i) => ({
    name,
    namespace: ns,
    labels,
    annotations,
    spec,
    workload,
    source: obj.source,
    replica: i,
    existing: false,
  }));
}
