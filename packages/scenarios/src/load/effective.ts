/**
 * What a run of a scenario actually uses once a variant is applied, and the scenario's settings in the
 * shapes sim-core's mesh model takes: MeshConfig overrides as the `istio` ConfigMap's `mesh` JSON, and
 * `vms` as `VirtualMachine`s. Pure functions shared by the loader's checks and the runner.
 */
import { formatDuration, type MeshModelOptions, type VirtualMachine } from '@meshsim/sim-core';
import type { MeshOverrides, NetworkSpec } from '../schema/types/mesh.js';
import { HOP_CLASSES } from '../schema/types/mesh.js';
import type { Scenario } from '../schema/types/scenario.js';
import type { Variant } from '../schema/types/variants.js';
import type { VirtualMachineSpec } from '../schema/types/vms.js';
import type { WorkloadSpec } from '../schema/types/workload.js';

/**
 * A variant's MeshConfig overrides over the scenario's: fields replace, except `defaultConfig` (merged field
 * by field, `proxyMetadata` key by key — as istiod merges `defaultConfig`) and `compatibility`.
 */
export function mergeMesh(base: MeshOverrides | undefined, over: MeshOverrides | undefined): MeshOverrides | undefined {
  if (over === undefined) return base;
  if (base === undefined) return over;
  const defaultConfig =
    base.defaultConfig === undefined || over.defaultConfig === undefined
      ? (over.defaultConfig ?? base.defaultConfig)
      : {
          ...base.defaultConfig,
          ...over.defaultConfig,
          ...(base.defaultConfig.proxyMetadata !== undefined || over.defaultConfig.proxyMetadata !== undefined
            ? { proxyMetadata: { ...base.defaultConfig.proxyMetadata, ...over.defaultConfig.proxyMetadata } }
            : {}),
        };
  const compatibility =
    base.compatibility === undefined ? over.compatibility : { ...base.compatibility, ...over.compatibility };
  return {
    ...base,
    ...over,
    ...(defaultConfig === undefined ? {} : { defaultConfig }),
    ...(compatibility === undefined ? {} : { compatibility }),
  };
}

/** A variant's network settings over the scenario's: each hop class's link and the proxy cost merge field by field. */
export function mergeNetwork(base: NetworkSpec | undefined, over: NetworkSpec | undefined): NetworkSpec | undefined {
  if (over === undefined) return base;
  if (base === undefined) return over;
  const out: Record<string, unknown> = {};
  for (const key of [...HOP_CLASSES, 'proxy'] as const) {
    const a = base[key];
    const b = over[key];
    if (a !== undefined || b !== undefined) out[key] = { ...a, ...b };
  }
  return out as NetworkSpec;
}

/** The settings of one run: the scenario, or the scenario with `variant` applied (`undefined`: baseline). */
export interface EffectiveSettings {
  readonly mesh?: MeshOverrides;
  readonly network?: NetworkSpec;
  /** The scenario's workload entries, then the variant's: later entries win field by field. */
  readonly workloads: readonly WorkloadSpec[];
}

/** The mesh, network and workloads a run uses. */
export function effectiveSettings(scenario: Scenario, variant?: Variant): EffectiveSettings {
  const mesh = mergeMesh(scenario.mesh, variant?.mesh);
  const network = mergeNetwork(scenario.network, variant?.network);
  return {
    ...(mesh === undefined ? {} : { mesh }),
    ...(network === undefined ? {} : { network }),
    workloads: [...scenario.workloads, ...(variant?.workloads ?? [])],
  };
}

/** MeshConfig overrides as the `mesh` JSON of Istio's ConfigMap (durations as strings; `compatibility` left out). */
export function meshConfigJson(mesh: MeshOverrides | undefined): Record<string, unknown> | undefined {
  if (mesh === undefined) return undefined;
  const { compatibility: _meshsimOnly, connectTimeout, defaultHttpRetryPolicy, ...rest } = mesh;
  return {
    ...rest,
    ...(connectTimeout === undefined ? {} : { connectTimeout: formatDuration(connectTimeout) }),
    ...(defaultHttpRetryPolicy === undefined
      ? {}
      : {
          defaultHttpRetryPolicy: {
            ...defaultHttpRetryPolicy,
            ...(defaultHttpRetryPolicy.perTryTimeout === undefined
              ? {}
              : { perTryTimeout: formatDuration(defaultHttpRetryPolicy.perTryTimeout) }),
          },
        }),
  };
}

/** A scenario VM as sim-core's mesh model takes it. */
export function toVirtualMachine(vm: VirtualMachineSpec): VirtualMachine {
  return {
    name: vm.name,
    address: vm.address,
    namespace: vm.namespace,
    serviceAccount: vm.serviceAccount,
    labels: vm.labels,
    ...(vm.autoRegisterGroup === undefined ? {} : { autoRegisterGroup: vm.autoRegisterGroup }),
    network: vm.network,
    locality: vm.locality,
    proxyMetadata: vm.proxyMetadata,
    healthy: vm.healthy,
  };
}

/** The mesh model options of one run (MeshConfig overrides and VMs). */
export function meshModelOptions(scenario: Scenario, variant?: Variant): MeshModelOptions {
  const meshConfig = meshConfigJson(effectiveSettings(scenario, variant).mesh);
  return {
    ...(meshConfig === undefined ? {} : { meshConfig }),
    virtualMachines: scenario.vms.map(toVirtualMachine),
  };
}
