import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadManifestsOrThrow } from '../../../k8s/load/loadManifests.js';
import { defaultMeshConfig } from '../meshConfig.js';
import { DEFAULT_INJECTION_CONFIG } from './config.js';
import { kubeInject } from './kubeInject.js';

const dir = join(import.meta.dirname, 'testdata', 'kube-inject');

/** Drops what Go's marshalling adds or omits differently: empty objects, nulls. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalize(x);
      if (n === null || n === undefined || (typeof n === 'object' && !Array.isArray(n) && Object.keys(n).length === 0))
        continue;
      out[k] = n;
    }
    return out;
  }
  return v;
}

describe('kubeInject()', () => {
  it('reproduces Istio 1.29.2 hello.yaml.injected (native sidecars, test images)', () => {
    const objects = loadManifestsOrThrow(
      [{ file: 'hello.yaml', text: readFileSync(join(dir, 'hello.yaml'), 'utf8') }],
      { defaultNamespace: 'default' },
    );
    const cfg = {
      ...DEFAULT_INJECTION_CONFIG,
      hub: 'gcr.io/istio-testing',
      tag: 'latest',
      nativeSidecars: 'true' as const,
    };
    const { objects: out, warnings } = kubeInject(objects, defaultMeshConfig(), cfg);
    expect(warnings).toEqual([]);
    const got = normalize(out[0]) as Record<string, unknown>;
    delete (got['metadata'] as Record<string, unknown>)['namespace']; // the loader defaults it; istioctl leaves it unset
    const golden = normalize(parseAllDocuments(readFileSync(join(dir, 'hello.yaml.injected'), 'utf8'))[0]?.toJS());
    expect(got).toEqual(golden);
  });

  it('classic sidecars (istioctl default without a cluster): istio-proxy is the last container, istio-init the only init container', () => {
    const objects = loadManifestsOrThrow([{ file: 'hello.yaml', text: readFileSync(join(dir, 'hello.yaml'), 'utf8') }]);
    const { objects: out } = kubeInject(objects, defaultMeshConfig(), DEFAULT_INJECTION_CONFIG);
    const spec = (out[0] as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec as {
      containers: { name: string; image: string }[];
      initContainers: { name: string; image: string }[];
    };
    expect(spec.containers.map((c) => c.name)).toEqual(['hello', 'istio-proxy']);
    expect(spec.initContainers.map((c) => c.name)).toEqual(['istio-init']);
    expect(spec.containers[1]?.image).toBe('docker.io/istio/proxyv2:1.29.2');
  });

  it("skips a pod that opts out, with istioctl's warning, and passes other kinds through", () => {
    const text = [
      'apiVersion: v1\nkind: Pod\nmetadata: {name: skip, labels: {sidecar.istio.io/inject: "false"}}\nspec: {containers: [{name: app, image: nginx}]}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {ports: [{port: 80}]}',
    ].join('\n---\n');
    const objects = loadManifestsOrThrow([{ file: 'x.yaml', text }]);
    const { objects: out, warnings } = kubeInject(objects, defaultMeshConfig(), DEFAULT_INJECTION_CONFIG);
    expect(warnings).toEqual(['===> Skipping injection because "default/skip" has sidecar injection disabled']);
    expect(out.map((o) => o['kind'])).toEqual(['Pod', 'Service']);
    expect((out[0] as { spec: { containers: unknown[] } }).spec.containers).toHaveLength(1);
  });
});
