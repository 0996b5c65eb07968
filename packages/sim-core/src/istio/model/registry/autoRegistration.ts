/**
 * WorkloadEntry auto-registration (`pilot/pkg/autoregistration/controller.go`, on by default with
 * `PILOT_ENABLE_WORKLOAD_ENTRY_AUTOREGISTRATION`): when a VM's agent connects with
 * `ISTIO_META_AUTO_REGISTER_GROUP=<group>`, istiod creates WorkloadEntry
 * `<group>-<address with ':' → '-'>[-<network>]` in the VM's namespace (`autoregisteredWorkloadEntryName`)
 * from the group's `template` (`workloadEntryFromGroup`): address = the VM's, labels = template labels, then
 * group `metadata.labels`, then the VM's own labels; annotations `istio.io/autoRegistrationGroup` plus the
 * group's `metadata.annotations`; an owner reference to the group. A group with a `probe` makes the agent
 * health-check the app, so the entry gets `proxy.istio.io/health-checks-enabled: "true"` and is healthy only
 * while the agent reports the `Healthy` condition (`PILOT_ENABLE_WORKLOAD_ENTRY_HEALTHCHECKS`).
 */
import { asRecord } from '../../../k8s/json.js';
import { readLabels } from '../../../k8s/labels.js';
import type { KubeObject } from '../../../k8s/object.js';
import type { IstioObject, WorkloadGroupSpec } from '../config.js';
import type { VirtualMachine } from '../vm.js';

/** Annotation istiod sets on auto-registered entries. */
export const AUTO_REGISTRATION_GROUP = 'istio.io/autoRegistrationGroup';
/** Annotation that turns on agent-reported health for an entry. */
export const HEALTH_CHECKS_ENABLED = 'proxy.istio.io/health-checks-enabled';

/** `autoregisteredWorkloadEntryName`. */
export function autoRegisteredName(group: string, address: string, network = ''): string {
  const name = [group, address.replace(/:/g, '-'), ...(network !== '' ? [network] : [])].join('-');
  return name.length > 253 ? name.slice(name.length - 253) : name;
}

/** The WorkloadEntry istiod creates for `vm`, or a reason when it cannot. */
export function autoRegister(
  vm: VirtualMachine,
  groups: readonly IstioObject<WorkloadGroupSpec>[],
): KubeObject | { error: string } {
  if (vm.autoRegisterGroup === undefined) return { error: `VM ${vm.name} does not ask for auto-registration` };
  const group = groups.find((g) => g.metadata.name === vm.autoRegisterGroup && g.metadata.namespace === vm.namespace);
  if (group === undefined) {
    return {
      error: `auto-registration of VM ${vm.name} failed: cannot find WorkloadGroup ${vm.namespace}/${vm.autoRegisterGroup}`,
    };
  }
  const template = asRecord(group.spec.template) ?? {};
  const meta = asRecord(group.spec.metadata);
  const labels = { ...readLabels(template['labels']), ...readLabels(meta?.['labels']), ...vm.labels };
  const annotations: Record<string, string> = {
    [AUTO_REGISTRATION_GROUP]: group.metadata.name,
    ...readLabels(meta?.['annotations']),
  };
  if (group.spec.probe !== undefined) annotations[HEALTH_CHECKS_ENABLED] = 'true';
  const spec: Record<string, unknown> = { ...template, address: vm.address, labels };
  if (vm.network !== '') spec['network'] = vm.network;
  if (vm.locality !== '') spec['locality'] = vm.locality;
  if (spec['network'] === '') delete spec['network'];
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'WorkloadEntry',
    metadata: {
      name: autoRegisteredName(group.metadata.name, vm.address, vm.network !== '' ? vm.network : ''),
      namespace: vm.namespace,
      labels,
      annotations,
      ownerReferences: [{ apiVersion: group.apiVersion, kind: 'WorkloadGroup', name: group.metadata.name }],
    },
    spec,
    ...(group.spec.probe !== undefined
      ? { status: { conditions: [{ type: 'Healthy', status: vm.healthy ? 'True' : 'False' }] } }
      : {}),
    source: group.source,
  } as KubeObject;
}

/**
 * `isHealthy` (`pilot/pkg/serviceregistry/serviceentry/conversion.go`): an entry with health checks enabled is
 * healthy only with a `Healthy: True` condition; others always are.
 */
export function workloadEntryHealthy(we: KubeObject): boolean {
  if (we.metadata.annotations?.[HEALTH_CHECKS_ENABLED] !== 'true') return true;
  const conditions = asRecord(we.status)?.['conditions'];
  if (!Array.isArray(conditions)) return false;
  return conditions.some((c) => asRecord(c)?.['type'] === 'Healthy' && asRecord(c)?.['status'] === 'True');
}
