/**
 * The instances of a mesh model: every running pod (its index among its workload's pods, its app's uid,
 * its sidecar's capture rules from its own `istio-init` arguments) and every VM (capture with the default
 * arguments its agent installs), ready or not as the model and the readiness reporting say.
 */
import type { MeshModel } from '../../istio/model/meshModel.js';
import { Instance } from './instance.js';
import { DEFAULT_ISTIO_IPTABLES_ARGS, PodCapture } from './podCapture.js';
import { readinessProbe } from './readiness.js';

/** Every running pod (not `hostNetwork`) and VM of `model`, as new instances, each with its capture rules. */
export function instancesOf(model: MeshModel): Instance[] {
  const out: Instance[] = [];
  const byWorkload = new Map<string, string[]>();
  const pods = model.cluster.pods.filter((p) => p.podIP !== '' && !p.hostNetwork && p.phase === 'Running');
  for (const pod of pods) {
    const k = `${pod.namespace}/${pod.workload.name}`;
    const list = byWorkload.get(k) ?? [];
    list.push(pod.name);
    byWorkload.set(k, list);
  }
  for (const list of byWorkload.values()) list.sort();
  for (const pod of pods) {
    const mp = model.proxies.find((p) => p.kind === 'Pod' && p.name === pod.name && p.namespace === pod.namespace);
    const app = pod.containers.find((c) => c.name !== 'istio-proxy');
    const instance = new Instance({
      kind: 'pod',
      key: `${pod.namespace}/${pod.name}`,
      namespace: pod.namespace,
      name: pod.name,
      ip: pod.podIP,
      labels: pod.labels,
      workload: mp?.workloadName ?? pod.workload.name,
      endpoint: { kind: 'pod', pod: `${pod.namespace}/${pod.name}`, node: pod.nodeName },
      index: byWorkload.get(`${pod.namespace}/${pod.workload.name}`)?.indexOf(pod.name) ?? 0,
      ...(mp !== undefined ? { meshProxy: mp } : {}),
      appUid: app?.runAsUser ?? 0,
      ...(mp?.iptables !== undefined && mp.type === 'sidecar'
        ? { capture: new PodCapture(pod.podIP, mp.iptables) }
        : {}),
    });
    if (!pod.ready) instance.state = 'unready';
    out.push(instance);
  }
  for (const vm of model.virtualMachines) {
    const mp = model.proxies.find(
      (p) => p.kind === 'VirtualMachine' && p.name === vm.name && p.namespace === vm.namespace,
    );
    const instance = new Instance({
      kind: 'vm',
      key: `${vm.namespace}/${vm.name}`,
      namespace: vm.namespace,
      name: vm.name,
      ip: vm.address,
      labels: vm.labels,
      workload: mp?.workloadName ?? vm.name,
      endpoint: { kind: 'vm', name: vm.name, node: vm.name },
      index: 0,
      ...(mp !== undefined ? { meshProxy: mp } : {}),
      ...(mp !== undefined
        ? {
            capture: new PodCapture(vm.address, {
              args: DEFAULT_ISTIO_IPTABLES_ARGS,
              env: {},
              redirectDns: false,
              dnsServers: [],
            }),
          }
        : {}),
    });
    // The agent's health reaches istiod only when the WorkloadGroup has a probe (readiness.ts).
    if (!vm.healthy && readinessProbe(model, instance) !== null) instance.state = 'unready';
    out.push(instance);
  }
  return out;
}
