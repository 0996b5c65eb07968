/**
 * The `vms` section: virtual machines running istio-agent outside the cluster (mesh expansion). Each is what
 * its `cluster.env` (as `istioctl x workload entry configure` writes it) tells the agent; a VM with
 * `autoRegisterGroup` joins as a WorkloadEntry `<group>-<address>` carrying the group's labels, as istiod's
 * auto-registration does. Maps onto sim-core's `VirtualMachine` (istio/model/vm.ts).
 */
import type { StringMap } from './common.js';

/** A VM running istio-agent. */
export interface VirtualMachineSpec {
  /** The VM's hostname, unique; also what a `partition` event names. */
  readonly name: string;
  /** `ISTIO_NAMESPACE`. @defaultValue `'default'` */
  readonly namespace: string;
  /** `ISTIO_SVC_IP`: the VM's IPv4 address. */
  readonly address: string;
  /** `SERVICE_ACCOUNT`. @defaultValue `'default'` */
  readonly serviceAccount: string;
  /** `ISTIO_METAJSON_LABELS`. @defaultValue `{}` */
  readonly labels: StringMap;
  /** `ISTIO_META_AUTO_REGISTER_GROUP`: the WorkloadGroup (in `namespace`) it registers with. */
  readonly autoRegisterGroup?: string;
  /** `ISTIO_META_NETWORK`. @defaultValue `''` (the cluster's network) */
  readonly network: string;
  /** `ISTIO_LOCALITY`, `region/zone/subzone`. @defaultValue `''` */
  readonly locality: string;
  /** Other `ISTIO_META_*` agent settings, e.g. `ISTIO_META_DNS_CAPTURE: "true"`. @defaultValue `{}` */
  readonly proxyMetadata: StringMap;
  /** Whether the agent's readiness probe passes (its WorkloadEntry's `Healthy` condition). @defaultValue true */
  readonly healthy: boolean;
}
