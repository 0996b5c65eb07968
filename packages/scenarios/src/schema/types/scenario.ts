/** A whole scenario: the YAML file as loaded — shorthands expanded, durations in µs, defaults filled. */
import type { Duration } from '@meshsim/sim-core';
import type { ManifestSource } from './common.js';
import type { ScenarioEvent } from './events.js';
import type { Expectation } from './expect.js';
import type { MeshOverrides, NetworkSpec } from './mesh.js';
import type { TrafficGenerator } from './traffic.js';
import type { VirtualMachineSpec } from './vms.js';
import type { Variant } from './variants.js';
import type { WorkloadSpec } from './workload.js';

/** A meshsim scenario. Deeply frozen once loaded. */
export interface Scenario {
  /** A DNS label naming the scenario (`meshsim run canary`). */
  readonly name: string;
  /** One line saying what it shows, listed by `meshsim scenarios`. @defaultValue `''` */
  readonly description: string;
  /** Master seed of every random stream. @defaultValue 1 */
  readonly seed: number;
  /** Default `duration` of traffic generators that set neither `duration` nor `requests`. */
  readonly duration?: Duration;
  /** Default `requests` of traffic generators that set neither `duration` nor `requests`. */
  readonly requests?: number;
  /** The cluster: files, folders and inline objects, applied before time 0. @defaultValue `[]` */
  readonly manifests: readonly ManifestSource[];
  readonly mesh?: MeshOverrides;
  readonly network?: NetworkSpec;
  /** VMs running istio-agent outside the cluster. @defaultValue `[]` */
  readonly vms: readonly VirtualMachineSpec[];
  /** @defaultValue `[]` */
  readonly workloads: readonly WorkloadSpec[];
  /** At least one generator. */
  readonly traffic: readonly TrafficGenerator[];
  /** In time order. @defaultValue `[]` */
  readonly events: readonly ScenarioEvent[];
  /** @defaultValue `[]` */
  readonly variants: readonly Variant[];
  /** @defaultValue `[]` */
  readonly expect: readonly Expectation[];
}
