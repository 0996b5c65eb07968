// generateVirtualHostDomains, on istiod's own cases (testdata/virtual-host-domains.json, copied from
// istio/istio@1.29.3 pilot/pkg/networking/core/httproute_test.go TestGenerateVirtualHostDomains).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MeshService } from '../../model/registry/types.js';
import { generateVirtualHostDomains } from './domains.js';

interface Case {
  name: string;
  hostname: string;
  port: number;
  dnsDomain: string;
  addresses?: string[];
  passthroughKubernetes?: boolean;
  want: string[];
}
const data = JSON.parse(readFileSync(join(import.meta.dirname, 'testdata/virtual-host-domains.json'), 'utf8')) as {
  cases: Case[];
};

function service(c: Case): MeshService {
  return {
    hostname: c.hostname,
    namespace: 'default',
    name: c.hostname,
    registry: c.passthroughKubernetes === true ? 'Kubernetes' : 'External',
    defaultAddress: c.addresses?.[0] ?? '0.0.0.0',
    addresses: c.addresses ?? [],
    ports: [{ name: 'http', port: c.port, protocol: 'HTTP' }],
    resolution: c.passthroughKubernetes === true ? 'Passthrough' : 'ClientSideLB',
    meshExternal: false,
    exportTo: '*',
    serviceAccounts: [],
    publishNotReadyAddresses: false,
    kind: 'ServiceEntry',
    source: { file: 'x.yaml', line: 1, document: 0, lineOf: () => 1 },
  };
}

describe('generateVirtualHostDomains(service, port, port, node)', () => {
  it.each(data.cases)('$name', (c) => {
    expect(
      generateVirtualHostDomains(service(c), c.port, c.port, { dnsDomain: c.dnsDomain, dnsCapture: false }).domains,
    ).toEqual(c.want);
  });
  it('adds the :port forms on the HTTP proxy route (listener port 0)', () => {
    const c = data.cases.find((x) => x.name === 'k8s service with default domain') as Case;
    expect(
      generateVirtualHostDomains(service(c), 0, 8123, { dnsDomain: c.dnsDomain, dnsCapture: false }).domains,
    ).toEqual([
      'echo.default.svc.cluster.local',
      'echo.default.svc.cluster.local:8123',
      'echo.default.svc.cluster.local.',
      'echo.default.svc.cluster.local.:8123',
      'echo',
      'echo:8123',
      'echo.default.svc',
      'echo.default.svc:8123',
      'echo.default',
      'echo.default:8123',
    ]);
  });
});
