/**
 * The workload name of an auto-registered VM (seed 001, packages/sim-core/testdata/seeds/vm-mesh-expansion):
 * its agent reports `ISTIO_META_WORKLOAD_NAME`, which `istioctl x workload entry configure` sets to the
 * WorkloadGroup's name (istio/istio istioctl/pkg/workload/workload.go: `md["ISTIO_META_WORKLOAD_NAME"] =
 * wg.Name`, beside `ISTIO_META_AUTO_REGISTER_GROUP`); istiod names the WorkloadEntry it creates
 * `<group>-<address>` but derives the workload from its `istio.io/autoRegistrationGroup` annotation (pkg/kube/
 * labels/labels.go `WorkloadNameFromWorkloadEntry`). Istio's metrics (`source_workload` /
 * `destination_workload`, from the proxies' `WORKLOAD_NAME` node metadata exchanged between sidecars) and
 * meshsim's outcomes therefore say `nginx`, not `nginx-192.168.0.204`.
 */
import { describe, expect, it } from 'vitest';
import { seedFile, seedInputs } from '../../../test/seeds.js';
import { loadManifests } from '../../k8s/load/loadManifests.js';
import { buildMeshModel, type MeshModel } from '../../istio/model/meshModel.js';
import { parseClusterEnv, virtualMachineFromEnv } from '../../istio/model/vm.js';
import { buildBootstrap } from '../../istio/xds/bootstrap.js';
import { simulate } from './simulate.js';

function vmModel(extraEnv: Readonly<Record<string, string>> = {}): MeshModel {
  const env = { ...parseClusterEnv(seedFile('vm-mesh-expansion', 'vm/cluster.env')), ...extraEnv };
  return buildMeshModel(loadManifests(seedInputs('vm-mesh-expansion')).objects, {
    virtualMachines: [virtualMachineFromEnv('vm204', env)],
  });
}

const vmProxy = (m: MeshModel) => m.proxies.find((p) => p.kind === 'VirtualMachine');

function run(m: MeshModel) {
  const debian = m.cluster.pods.find((p) => p.labels['app'] === 'debian')?.name ?? '';
  return simulate({
    model: m,
    seed: 1,
    traffic: [
      {
        name: 'from-pod',
        source: { kind: 'pod', namespace: 'istio-demo', pod: debian },
        connections: 1,
        qps: 0,
        requests: 5,
        mix: [{ url: 'http://nginx.example.com/' }],
      },
      {
        name: 'from-vm',
        source: { kind: 'vm', namespace: 'istio-demo', name: 'vm204' },
        connections: 1,
        qps: 0,
        requests: 3,
        mix: [{ url: 'http://nginx.example.com/' }],
      },
    ],
  });
}

describe('an auto-registered VM is the workload of its WorkloadGroup', () => {
  it("the VM's proxy reports WORKLOAD_NAME nginx; its WorkloadEntry keeps istiod's name", () => {
    const m = vmModel();
    expect(m.istio.workloadEntries.map((w) => w.metadata.name)).toContain('nginx-192.168.0.204');
    const proxy = vmProxy(m);
    expect(proxy?.workloadName).toBe('nginx');
    const meta = proxy === undefined ? undefined : buildBootstrap(proxy).node.metadata;
    expect(meta?.['WORKLOAD_NAME']).toBe('nginx');
  });

  it('the world names it nginx, and it still serves the ServiceEntry (its inbound listener is built)', () => {
    const result = run(vmModel());
    const vm = result.world.instance('istio-demo/vm204');
    expect(vm?.workload).toBe('nginx');
    const toVm = result.outcomes.byPod().filter((p) => p.pod === 'istio-demo/vm204');
    expect(toVm.reduce((a, p) => a + p.summary.count, 0)).toBe(8);
    expect(result.outcomes.overall.statusCounts()).toEqual([[200, 8]]);
  });

  it("Istio's metrics say nginx on both reporters, as source and as destination", () => {
    const { metrics } = run(vmModel());
    const names = new Set<string>();
    for (const s of metrics.allSeries()) {
      names.add(`${s.labels.reporter} ${s.labels.source_workload} → ${s.labels.destination_workload}`);
    }
    expect([...names].sort()).toEqual([
      'destination debian → nginx',
      'destination nginx → nginx',
      'source debian → nginx',
      'source nginx → nginx',
    ]);
  });

  it('an ISTIO_META_WORKLOAD_NAME in the VM’s environment wins', () => {
    const m = vmModel({ ISTIO_META_WORKLOAD_NAME: 'nginx-vms' });
    expect(vmProxy(m)?.workloadName).toBe('nginx-vms');
    expect(run(m).world.instance('istio-demo/vm204')?.workload).toBe('nginx-vms');
  });
});
