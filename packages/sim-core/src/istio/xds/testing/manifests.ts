/**
 * Small manifest builders for the translation's tests and benchmarks: injected namespaces, Deployments
 * with a container port, Services, and a model loaded from the YAML. Pure (no file access).
 */
import { loadMeshModel, type MeshModel, type MeshModelOptions } from '../../model/meshModel.js';

/** A namespace with `istio-injection=enabled` (or without the label). */
export function namespace(name: string, inject = true): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${inject ? '  labels:\n    istio-injection: enabled\n' : ''}`;
}

/** A Deployment of `replicas` pods labelled `app: <app>` plus `labels`, listening on `ports`. */
export function deployment(
  name: string,
  ns: string,
  opts: {
    readonly app?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly ports?: readonly number[];
    readonly replicas?: number;
  } = {},
): string {
  const labels = { app: opts.app ?? name, ...(opts.labels ?? {}) };
  const labelYaml = Object.entries(labels)
    .map(([k, v]) => `        ${k}: ${JSON.stringify(v)}\n`)
    .join('');
  const selector = `      app: ${JSON.stringify(labels.app)}\n${Object.entries(opts.labels ?? {})
    .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`)
    .join('')}`;
  const ports = (opts.ports ?? []).map((p) => `            - containerPort: ${p}\n`).join('');
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  replicas: ${opts.replicas ?? 1}\n  selector:\n    matchLabels:\n${selector}` +
    `  template:\n    metadata:\n      labels:\n${labelYaml}    spec:\n      containers:\n        - name: app\n          image: example/app\n${ports !== '' ? `          ports:\n${ports}` : ''}`
  );
}

/** A Service port. */
export interface PortSpec {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number;
  readonly protocol?: 'TCP' | 'UDP';
  readonly appProtocol?: string;
}

/** A ClusterIP Service selecting `app: <app>`. */
export function service(
  name: string,
  ns: string,
  ports: readonly PortSpec[],
  opts: {
    readonly app?: string;
    readonly clusterIP?: string;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly creationTimestamp?: string;
  } = {},
): string {
  const p = ports
    .map(
      (x) =>
        `    - ${x.name !== undefined ? `name: ${x.name}\n      ` : ''}port: ${x.port}\n      targetPort: ${x.targetPort ?? x.port}\n      protocol: ${x.protocol ?? 'TCP'}\n${x.appProtocol !== undefined ? `      appProtocol: ${x.appProtocol}\n` : ''}`,
    )
    .join('');
  const ann = Object.entries(opts.annotations ?? {})
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
    .join('');
  return (
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${ann !== '' ? `  annotations:\n${ann}` : ''}${opts.creationTimestamp !== undefined ? `  creationTimestamp: "${opts.creationTimestamp}"\n` : ''}` +
    `spec:\n${opts.clusterIP !== undefined ? `  clusterIP: ${opts.clusterIP}\n` : ''}  selector:\n    app: ${opts.app ?? name}\n  ports:\n${p}`
  );
}

/** A model from YAML documents (joined with `---`), loaded as `kubectl apply -f` would read them. */
export function modelOf(docs: readonly string[], options: MeshModelOptions = {}): MeshModel {
  return loadMeshModel([{ file: 'test.yaml', text: docs.join('---\n') }], options);
}
