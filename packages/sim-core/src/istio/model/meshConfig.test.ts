import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { loadManifests } from '../../k8s/load/loadManifests.js';
import {
  defaultMeshConfig,
  dnsCaptureEnabled,
  meshConfigFromObjects,
  proxyConcurrency,
  proxyConfigFor,
} from './meshConfig.js';

const cm = (mesh: string) =>
  loadManifests([
    {
      file: 'cm.yaml',
      text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |-\n${mesh
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}\n`,
    },
  ]).objects;

describe('MeshConfig', () => {
  it('has Istio 1.29 defaults (pkg/config/mesh/mesh.go DefaultMeshConfig)', () => {
    const m = defaultMeshConfig();
    expect(m.outboundTrafficPolicy.mode).toBe('ALLOW_ANY');
    expect(m.inboundTrafficPolicy.mode).toBe('PASSTHROUGH');
    expect(m.rootNamespace).toBe('istio-system');
    expect(m.enableAutoMtls).toBe(true);
    expect(m.connectTimeout).toBe(10_000_000);
    expect(m.dnsRefreshRate).toBe(60_000_000);
    expect(m.protocolDetectionTimeout).toBe(0);
    expect(m.defaultServiceExportTo).toEqual(['*']);
    expect(m.localityLbSetting).toEqual({ enabled: true });
    expect(m.defaultConfig.statusPort).toBe(15020);
    expect(m.defaultConfig.proxyMetadata).toEqual({});
    expect(m.defaultHttpRetryPolicy).toBeUndefined();
    expect(dnsCaptureEnabled(m.defaultConfig)).toBe(false);
  });

  it('reads the istio ConfigMap: fields replace defaults, defaultConfig and proxyMetadata merge (ApplyMeshConfig)', () => {
    const m = meshConfigFromObjects(
      cm(
        'outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\ndefaultConfig:\n  concurrency: 4\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: "true"\ndefaultHttpRetryPolicy:\n  attempts: 1',
      ),
    );
    expect(m.outboundTrafficPolicy.mode).toBe('REGISTRY_ONLY');
    expect(m.defaultConfig.concurrency).toBe(4);
    expect(m.defaultConfig.statusPort).toBe(15020); // kept: defaultConfig merges
    expect(dnsCaptureEnabled(m.defaultConfig)).toBe(true);
    expect(m.defaultHttpRetryPolicy).toEqual({ attempts: 1 });
  });

  it("merges a pod's proxy.istio.io/config annotation over the mesh default (proxyMetadata key by key)", () => {
    const mesh = meshConfigFromObjects(cm('defaultConfig:\n  proxyMetadata:\n    A: "1"'));
    const pc = proxyConfigFor(mesh, {
      'proxy.istio.io/config': 'concurrency: 1\nproxyMetadata:\n  ISTIO_META_DNS_CAPTURE: "true"',
    });
    expect(pc.concurrency).toBe(1);
    expect(pc.proxyMetadata).toEqual({ A: '1', ISTIO_META_DNS_CAPTURE: 'true' });
    expect(proxyConfigFor(mesh, {})).toBe(mesh.defaultConfig);
  });

  it('concurrency: explicit value, else the proxy CPU limit rounded up, 0 meaning all cores', () => {
    const pc = defaultMeshConfig().defaultConfig;
    expect(proxyConcurrency(pc, 2)).toBe(2);
    expect(proxyConcurrency(pc, 0.5)).toBe(1);
    expect(proxyConcurrency(pc, undefined)).toBe(0);
    expect(proxyConcurrency({ ...pc, concurrency: 3 }, 2)).toBe(3);
  });

  it('a bad duration in the mesh config is a ConfigError naming the ConfigMap', () => {
    expect(() => meshConfigFromObjects(cm('connectTimeout: 5 seconds'))).toThrow(ConfigError);
    try {
      meshConfigFromObjects(cm('connectTimeout: 5 seconds'));
    } catch (e) {
      expect((e as ConfigError).message).toMatch(
        /^cm\.yaml:\d+: ConfigMap istio-system\/istio: data\.mesh: connectTimeout: invalid duration "5 seconds"/,
      );
    }
  });
});
