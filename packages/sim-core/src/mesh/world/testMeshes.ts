/**
 * Small meshes for tests and benchmarks: a `sleep` client calling a `reviews` service with one Deployment
 * per version, optionally with a VirtualService and a DestinationRule, built from real manifests through
 * `loadMeshModel` exactly as user manifests are. Also Bookinfo (productpage → details, reviews v1/v2/v3 →
 * ratings) for benchmarks.
 */
import { loadMeshModel, type MeshModel, type MeshModelOptions } from '../../istio/model/meshModel.js';
import type { WorkloadSpec } from './workloads.js';

/** One version of the test service. */
export interface TestVersion {
  readonly name: string;
  /** @defaultValue 1 */
  readonly replicas?: number;
}

/** What {@link reviewsMesh} builds. */
export interface ReviewsMeshOptions {
  /** @defaultValue `[{ name: 'v1', replicas: 3 }]` */
  readonly versions?: readonly TestVersion[];
  /** The VirtualService `spec` for host `reviews`, when any. */
  readonly virtualService?: Readonly<Record<string, unknown>>;
  /** The DestinationRule `spec` for host `reviews` (subsets per version are added when absent). */
  readonly destinationRule?: Readonly<Record<string, unknown>>;
  /** Sidecar injection in the namespace. @defaultValue true */
  readonly sidecars?: boolean;
  readonly meshConfig?: MeshModelOptions['meshConfig'];
  /** Annotations on every pod template (e.g. `proxy.istio.io/config`). */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** The `readinessProbe` of the reviews containers, when any. */
  readonly readinessProbe?: Readonly<Record<string, unknown>>;
  /** Extra objects. */
  readonly extra?: readonly Readonly<Record<string, unknown>>[];
}

function deployment(
  name: string,
  labels: Record<string, string>,
  replicas: number,
  port: number | undefined,
  annotations?: Readonly<Record<string, string>>,
  readinessProbe?: Readonly<Record<string, unknown>>,
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(annotations !== undefined ? { annotations } : {}) },
        spec: {
          containers: [
            {
              name: labels['app'],
              image: `example/${name}`,
              ...(port !== undefined ? { ports: [{ containerPort: port }] } : {}),
              ...(readinessProbe !== undefined ? { readinessProbe } : {}),
            },
          ],
        },
      },
    },
  };
}

function service(name: string, port: number) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port, targetPort: port }] },
  };
}

function model(objects: readonly unknown[], options: MeshModelOptions = {}): MeshModel {
  return loadMeshModel([{ file: '<test>', text: objects.map((o) => JSON.stringify(o)).join('\n---\n') }], options);
}

/** `sleep` → `reviews:9080` with the given versions. */
export function reviewsMesh(o: ReviewsMeshOptions = {}): MeshModel {
  const versions = o.versions ?? [{ name: 'v1', replicas: 3 }];
  const objects: unknown[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default', labels: o.sidecars === false ? {} : { 'istio-injection': 'enabled' } },
    },
    deployment('sleep', { app: 'sleep' }, 1, undefined, o.podAnnotations),
    service('reviews', 9080),
    ...versions.map((v) =>
      deployment(
        `reviews-${v.name}`,
        { app: 'reviews', version: v.name },
        v.replicas ?? 1,
        9080,
        o.podAnnotations,
        o.readinessProbe,
      ),
    ),
  ];
  if (o.virtualService !== undefined) {
    objects.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: { hosts: ['reviews'], ...o.virtualService },
    });
  }
  if (o.destinationRule !== undefined || versions.length > 1) {
    objects.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        host: 'reviews',
        subsets: versions.map((v) => ({ name: v.name, labels: { version: v.name } })),
        ...(o.destinationRule ?? {}),
      },
    });
  }
  objects.push(...(o.extra ?? []));
  return model(objects, o.meshConfig !== undefined ? { meshConfig: o.meshConfig } : {});
}

/**
 * Istio's Bookinfo: productpage, details, reviews v1/v2/v3 (v2 and v3 call ratings), ratings — one replica
 * each unless `replicas` says otherwise — with a DestinationRule for the reviews subsets, outlier detection
 * and retries as given, and a `sleep` pod to send traffic from.
 */
export function bookinfoMesh(
  options: {
    readonly replicas?: number;
    readonly reviewsVirtualService?: Readonly<Record<string, unknown>>;
    readonly trafficPolicy?: Readonly<Record<string, unknown>>;
    /** Extra objects (VirtualServices for details or ratings…). */
    readonly extra?: readonly Readonly<Record<string, unknown>>[];
  } = {},
): MeshModel {
  const n = options.replicas ?? 1;
  const objects: unknown[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'istio-injection': 'enabled' } } },
    deployment('sleep', { app: 'sleep' }, 1, undefined),
    service('productpage', 9080),
    service('details', 9080),
    service('reviews', 9080),
    service('ratings', 9080),
    deployment('productpage-v1', { app: 'productpage', version: 'v1' }, n, 9080),
    deployment('details-v1', { app: 'details', version: 'v1' }, n, 9080),
    deployment('reviews-v1', { app: 'reviews', version: 'v1' }, n, 9080),
    deployment('reviews-v2', { app: 'reviews', version: 'v2' }, n, 9080),
    deployment('reviews-v3', { app: 'reviews', version: 'v3' }, n, 9080),
    deployment('ratings-v1', { app: 'ratings', version: 'v1' }, n, 9080),
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        host: 'reviews',
        ...(options.trafficPolicy !== undefined ? { trafficPolicy: options.trafficPolicy } : {}),
        subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
      },
    },
  ];
  if (options.reviewsVirtualService !== undefined) {
    objects.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: { hosts: ['reviews'], ...options.reviewsVirtualService },
    });
  }
  objects.push(...(options.extra ?? []));
  return model(objects);
}

/**
 * Bookinfo's call graph as workload entries: productpage calls details, then reviews (twice at most, with a
 * 3 s timeout, as productpage.py does); reviews v2 and v3 call ratings with the reviews app's timeouts
 * (10 s for v2's black stars, 2.5 s for v3's red ones: `LibertyRestEndpoint.getRatings` in istio/istio
 * samples/bookinfo/src/reviews); each app works for an exponential time with the given mean.
 */
export function bookinfoWorkloads(meanServiceTime = 1000): WorkloadSpec[] {
  const work = { kind: 'exponential' as const, mean: meanServiceTime };
  return [
    {
      selector: { matchLabels: { app: 'productpage' } },
      behaviour: {
        serviceTime: work,
        calls: [
          {
            kind: 'call',
            call: { authority: 'details:9080', path: '/details/0', timeout: 3_000_000, onFailure: 'ignore' },
          },
          {
            kind: 'call',
            call: {
              authority: 'reviews:9080',
              path: '/reviews/0',
              timeout: 3_000_000,
              attempts: 2,
              onFailure: 'ignore',
            },
          },
        ],
      },
    },
    { selector: { matchLabels: { app: 'details' } }, behaviour: { serviceTime: work } },
    { selector: { matchLabels: { app: 'reviews' } }, behaviour: { serviceTime: work } },
    {
      selector: { matchLabels: { app: 'reviews', version: 'v2' } },
      behaviour: {
        calls: [
          {
            kind: 'call',
            call: { authority: 'ratings:9080', path: '/ratings/0', timeout: 10_000_000, onFailure: 'ignore' },
          },
        ],
      },
    },
    {
      selector: { matchLabels: { app: 'reviews', version: 'v3' } },
      behaviour: {
        calls: [
          {
            kind: 'call',
            call: { authority: 'ratings:9080', path: '/ratings/0', timeout: 2_500_000, onFailure: 'ignore' },
          },
        ],
      },
    },
    { selector: { matchLabels: { app: 'ratings' } }, behaviour: { serviceTime: work } },
  ];
}
