/**
 * The seed walkthroughs' fixtures (packages/sim-core/testdata/seeds, see its README) yield the pods,
 * services, endpoints and DNS answers the walkthroughs show.
 */
import { describe, expect, it } from 'vitest';
import { seedFile, seedInputs, SEED_NAMES, type SeedName } from '../../../test/seeds.js';
import { cidrContains, parseCidr, parseIPv4 } from '../../k8s/net/ipv4.js';
import { loadManifests } from '../../k8s/load/loadManifests.js';
import { endpointsOf } from './registry/buildRegistry.js';
import { buildMeshModel, type MeshModel } from './meshModel.js';
import { findProxy, resolveName, serviceFor, destinationRuleOf } from './modelQueries.js';
import { parseClusterEnv, virtualMachineFromEnv } from './vm.js';

const ISTIO_IPTABLES = [
  'istio-iptables',
  '-p',
  '15001',
  '-z',
  '15006',
  '-u',
  '1337',
  '-m',
  'REDIRECT',
  '-i',
  '*',
  '-x',
  '',
  '-b',
  '*',
  '-d',
  '15090,15021,15020',
  '--log_output_level=default:info',
];

function model(name: SeedName): MeshModel {
  const loaded = loadManifests(seedInputs(name));
  expect(loaded.errors.map(String)).toEqual([]);
  const vms =
    name === 'vm-mesh-expansion'
      ? [virtualMachineFromEnv('vm204', parseClusterEnv(seedFile(name, 'vm/cluster.env')))]
      : [];
  return buildMeshModel(loaded.objects, { virtualMachines: vms });
}

const pods = (m: MeshModel, ns: string, prefix: string) =>
  m.cluster.pods.filter((p) => p.namespace === ns && p.name.startsWith(`${prefix}-`));
const inCidr = (ip: string, cidr: string): boolean => cidrContains(parseCidr(cidr), parseIPv4(ip) as number);

describe('seed fixtures', () => {
  it.each(SEED_NAMES.map((n) => [n]))('%s loads without errors and without model diagnostics', (name) => {
    const m = model(name);
    expect(m.diagnostics.filter((d) => d.source !== undefined && !d.source.file.startsWith('<'))).toEqual([]);
  });

  it('sidecar: nginx and toolbox get 2 containers and istio-init running istio-iptables (seed 000 "Sidecar")', () => {
    const m = model('sidecar');
    for (const prefix of ['nginx-deployment', 'toolbox']) {
      const [pod, ...rest] = pods(m, 'sidecar', prefix);
      expect(rest).toEqual([]);
      expect(pod?.name).toMatch(
        new RegExp(`^${prefix}-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
      );
      expect(pod?.containers.map((c) => c.name)).toEqual([prefix === 'toolbox' ? 'toolbox' : 'nginx', 'istio-proxy']);
      expect(pod?.initContainers.map((c) => c.name)).toEqual(['istio-init']);
      expect(pod?.initContainers[0]?.args).toEqual(ISTIO_IPTABLES);
      // "useradd -m --uid 1337": the proxy runs as 1337, so its own traffic RETURNs in ISTIO_OUTPUT
      expect(pod?.containers[1]?.runAsUser).toBe(1337);
      expect(pod?.containers[1]?.ports).toContainEqual({
        name: 'http-envoy-prom',
        containerPort: 15090,
        protocol: 'TCP',
      });
      expect(pod?.labels['security.istio.io/tlsMode']).toBe('istio');
      expect(inCidr(pod?.podIP ?? '', '10.244.0.0/16')).toBe(true);
    }
  });

  it('sidecar: outbound|80||nginx.sidecar.svc.cluster.local has the nginx pod on port 80, HEALTHY', () => {
    const m = model('sidecar');
    const svc = serviceFor(m, 'nginx.sidecar.svc.cluster.local', 'sidecar');
    expect(svc?.ports).toEqual([{ name: 'http', port: 80, protocol: 'HTTP', targetPort: 80 }]);
    expect(inCidr(svc?.defaultAddress ?? '', '10.96.0.0/12')).toBe(true);
    const nginx = pods(m, 'sidecar', 'nginx-deployment')[0];
    const eps = endpointsOf(m.registry, svc!, 80);
    expect(eps.map((e) => [e.address, e.endpointPort, e.healthStatus, e.tlsMode])).toEqual([
      [nginx?.podIP, 80, 'Healthy', 'istio'],
    ]);
  });

  it('sidecar: toolbox resolves `nginx` through kube-dns to the ClusterIP (no DNS capture)', () => {
    const m = model('sidecar');
    const toolbox = findProxy(m, 'toolbox', 'sidecar');
    expect(toolbox?.dnsCapture).toBe(false);
    const answer = resolveName(m, 'nginx', { namespace: 'sidecar', ...(toolbox ? { proxy: toolbox } : {}) });
    expect(answer).toMatchObject({ rcode: 'NOERROR', name: 'nginx.sidecar.svc.cluster.local', answeredBy: 'kube-dns' });
    expect(answer.addresses).toEqual([serviceFor(m, 'nginx.sidecar.svc.cluster.local')?.defaultAddress]);
  });

  it('simple-ingress: pods in the unlabelled namespace stay uninjected; the Gateway selects the ingress gateway pod', () => {
    const m = model('simple-ingress');
    for (const prefix of ['simple', 'nginx-deployment'])
      expect(pods(m, 'simple', prefix)[0]?.containers.map((c) => c.name)).toHaveLength(1);
    const gw = m.istio.gateways.find((g) => g.metadata.name === 'simple');
    const selected = m.cluster.pods.filter((p) =>
      Object.entries(gw?.spec.selector ?? {}).every(([k, v]) => p.labels[k] === v),
    );
    expect(selected.map((p) => p.name)).toEqual([expect.stringMatching(/^istio-ingressgateway-/)]);
    expect(findProxy(m, selected[0]!.name, 'istio-system')?.type).toBe('router');
    const ingress = serviceFor(m, 'istio-ingressgateway.istio-system.svc.cluster.local');
    expect(ingress?.ports.map((p) => [p.name, p.port, p.targetPort])).toEqual([
      ['status-port', 15021, 15021],
      ['http2', 80, 8080],
      ['https', 443, 8443],
    ]);
  });

  it('https-ingress: one Gateway, two HTTPS servers on 443 with their credentials in istio-system', () => {
    const m = model('https-ingress');
    const gw = m.istio.gateways.find((g) => g.metadata.name === 'httpsserver');
    expect(gw?.spec.servers?.map((s) => [s.port?.number, s.hosts, s.tls?.credentialName])).toEqual([
      [443, ['httpsserver.zhongmingmao.io'], 'zhongmingmao-credential'],
      [443, ['api.zhongmingmao.io'], 'api-zhongmingmao-credential'],
    ]);
    const secrets = m.objects
      .filter((o) => o.kind === 'Secret' && o.metadata.namespace === 'istio-system')
      .map((o) => o.metadata.name);
    expect(secrets.sort()).toEqual(['api-zhongmingmao-credential', 'zhongmingmao-credential']);
    expect(pods(m, 'securesvc', 'httpserver')[0]?.containers.map((c) => c.name)).toEqual(['httpserver', 'istio-proxy']);
  });

  it.each([['canary'], ['fault-injection']] as const)(
    '%s: subsets v1/v2 select the canary and canary-v2 pods',
    (name) => {
      const m = model(name);
      const svc = serviceFor(m, 'canary.canary.svc.cluster.local', 'canary')!;
      const toolbox = findProxy(m, 'toolbox', 'canary')!;
      const dr = destinationRuleOf(m, toolbox, svc);
      expect(dr?.from.map((d) => d.metadata.name)).toEqual(['canary']);
      const subsetPods = (subset: string) => {
        const labels = dr?.spec.subsets?.find((s) => s.name === subset)?.labels ?? {};
        return endpointsOf(m.registry, svc, 80, labels).map((e) => e.workload.name);
      };
      expect(subsetPods('v1')).toEqual([pods(m, 'canary', 'canary')[0]?.name]);
      expect(subsetPods('v2')).toEqual([pods(m, 'canary', 'canary-v2')[0]?.name]);
      expect(resolveName(m, 'canary', { namespace: 'canary', proxy: toolbox }).addresses).toEqual([svc.defaultAddress]);
    },
  );

  it('fault-injection: a fixed 5 s delay on the tester route, a 500 abort at 80 % on the default route', () => {
    const m = model('fault-injection');
    const vs = m.istio.virtualServices.find((v) => v.metadata.name === 'canary');
    expect(vs?.spec.http?.[0]?.fault?.delay).toEqual({ fixedDelay: '5s', percentage: { value: 100 } });
    expect(vs?.spec.http?.[1]?.fault?.abort).toEqual({ httpStatus: 500, percentage: { value: 80 } });
  });

  describe('vm-mesh-expansion (seed 001)', () => {
    it('the VM auto-registers WorkloadEntry nginx-192.168.0.204 with the group labels and service account', () => {
      const m = model('vm-mesh-expansion');
      const we = m.istio.workloadEntries.find((w) => w.metadata.name === 'nginx-192.168.0.204');
      expect(we?.metadata.namespace).toBe('istio-demo');
      expect(we?.metadata.annotations).toEqual({
        'istio.io/autoRegistrationGroup': 'nginx',
        'proxy.istio.io/health-checks-enabled': 'true',
      });
      expect(we?.metadata.ownerReferences).toEqual([
        { apiVersion: 'networking.istio.io/v1alpha3', kind: 'WorkloadGroup', name: 'nginx' },
      ]);
      // The seed's `kubectl get workloadentry nginx-192.168.0.204 -o yaml`:
      expect(we?.spec).toEqual({
        address: '192.168.0.204',
        labels: {
          app: 'nginx',
          class: 'vm',
          'service.istio.io/canonical-name': 'nginx',
          'service.istio.io/canonical-version': 'latest',
        },
        serviceAccount: 'vm',
      });
    });

    it('ServiceEntry nginx.example.com selects both the VM and the nginx pod', () => {
      const m = model('vm-mesh-expansion');
      const svc = serviceFor(m, 'nginx.example.com', 'istio-demo')!;
      const eps = endpointsOf(m.registry, svc, 80);
      const pod = pods(m, 'istio-demo', 'nginx')[0];
      expect(
        eps.map((e) => [
          e.workload.kind,
          e.address,
          e.endpointPort,
          e.labels['class'],
          e.healthStatus,
          e.serviceAccount,
        ]),
      ).toEqual([
        ['Pod', pod?.podIP, 80, 'docker', 'Healthy', 'spiffe://cluster.local/ns/istio-demo/sa/default'],
        ['WorkloadEntry', '192.168.0.204', 80, 'vm', 'Healthy', 'spiffe://cluster.local/ns/istio-demo/sa/vm'],
      ]);
    });

    it('nginx.example.com resolves to an auto-allocated 240.240.x.x VIP from the debian pod and from the VM', () => {
      const m = model('vm-mesh-expansion');
      const svc = serviceFor(m, 'nginx.example.com', 'istio-demo')!;
      // Istio 1.29's allocation controller starts at 240.240.0.1 (the seed, on 1.10, saw .2; see testdata README).
      expect(svc.autoAllocatedIPv4Address).toBe('240.240.0.1');
      for (const ref of ['debian', 'vm204.istio-demo']) {
        const proxy = findProxy(m, ref, 'istio-demo')!;
        expect(proxy.dnsCapture).toBe(true);
        const answer = resolveName(m, 'nginx.example.com', { namespace: 'istio-demo', proxy });
        expect(answer).toMatchObject({ rcode: 'NOERROR', addresses: ['240.240.0.1'], answeredBy: 'istio-dns-proxy' });
        // The resolver's first, search-expanded query is answered by the agent (a CNAME to the host).
        expect(answer.tried).toEqual(['nginx.example.com.istio-demo.svc.cluster.local']);
        expect(answer.cname).toEqual(['nginx.example.com']);
      }
    });

    it('without DNS capture the host does not resolve (kube-dns knows no ServiceEntry)', () => {
      const m = model('vm-mesh-expansion');
      expect(resolveName(m, 'nginx.example.com', { namespace: 'istio-demo' }).rcode).toBe('NXDOMAIN');
    });

    it('subset vm selects the VM only, docker the pod only', () => {
      const m = model('vm-mesh-expansion');
      const svc = serviceFor(m, 'nginx.example.com', 'istio-demo')!;
      const debian = findProxy(m, 'debian', 'istio-demo')!;
      const dr = destinationRuleOf(m, debian, svc);
      const labelsOf = (s: string) => dr?.spec.subsets?.find((x) => x.name === s)?.labels ?? {};
      expect(endpointsOf(m.registry, svc, 80, labelsOf('vm')).map((e) => e.address)).toEqual(['192.168.0.204']);
      expect(endpointsOf(m.registry, svc, 80, labelsOf('docker')).map((e) => e.workload.kind)).toEqual(['Pod']);
    });

    it('an unhealthy VM (its probe fails) stays registered but UnHealthy', () => {
      const loaded = loadManifests(seedInputs('vm-mesh-expansion'));
      const vm = virtualMachineFromEnv('vm204', parseClusterEnv(seedFile('vm-mesh-expansion', 'vm/cluster.env')), {
        healthy: false,
      });
      const m = buildMeshModel(loaded.objects, { virtualMachines: [vm] });
      const svc = serviceFor(m, 'nginx.example.com', 'istio-demo')!;
      expect(endpointsOf(m.registry, svc, 80).find((e) => e.address === '192.168.0.204')?.healthStatus).toBe(
        'UnHealthy',
      );
    });
  });
});
