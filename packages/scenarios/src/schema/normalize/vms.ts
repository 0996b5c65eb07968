/** Normalizer of the `vms` section. */
import { isIPv4, type FieldPath } from '@meshsim/sim-core';
import type { StringMap } from '../types/common.js';
import type { VirtualMachineSpec } from '../types/vms.js';
import { sortKeys } from './common.js';
import { bool, obj, opt, str, type Context, type RawObject } from './context.js';

/** Every VM, with unique names and addresses. */
export function virtualMachines(ctx: Context, path: FieldPath, raw: readonly unknown[]): VirtualMachineSpec[] {
  const vms = raw.map((item, i) => virtualMachine(ctx, [...path, i], item as RawObject));
  vms.forEach((vm, i) => {
    const sameName = vms.findIndex((v) => v.name === vm.name);
    if (sameName !== i)
      ctx.fail(
        [...path, i, 'name'],
        `duplicate VM name ${JSON.stringify(vm.name)} (also at index ${sameName})`,
        'scenario/reference',
      );
    const sameAddress = vms.findIndex((v) => v.address === vm.address);
    if (sameAddress !== i)
      ctx.fail([...path, i, 'address'], `address ${vm.address} is also VM ${JSON.stringify(vms[sameAddress]?.name)}'s`);
  });
  return vms;
}

function virtualMachine(ctx: Context, path: FieldPath, raw: RawObject): VirtualMachineSpec {
  const address = String(raw['address']);
  if (!isIPv4(address)) ctx.fail([...path, 'address'], `invalid IPv4 address ${JSON.stringify(address)}`);
  return {
    name: String(raw['name']),
    namespace: str(raw, 'namespace') ?? 'default',
    address,
    serviceAccount: str(raw, 'serviceAccount') ?? 'default',
    labels: (obj(raw, 'labels') as StringMap | undefined) ?? {},
    ...opt('autoRegisterGroup', str(raw, 'autoRegisterGroup')),
    network: str(raw, 'network') ?? '',
    locality: str(raw, 'locality') ?? '',
    proxyMetadata: sortKeys((obj(raw, 'proxyMetadata') as StringMap | undefined) ?? {}),
    healthy: bool(raw, 'healthy') ?? true,
  };
}
