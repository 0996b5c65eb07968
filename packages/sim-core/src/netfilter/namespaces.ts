/**
 * Ready-made namespaces: a pod (lo + eth0 with the pod IP, no forwarding), a pod with the rules
 * istio-iptables installs for it — from its rules, or in one call from its `istio-init` invocation — and a
 * node (lo + eth0 with the node IP, forwarding on, as kube-proxy needs).
 */
import { ConfigError } from '../errors.js';
import type { RandomSource } from '../engine/rng.js';
import { parseIp, type IpAddress } from './addr.js';
import { compileRuleset, type CompiledRuleset } from './compile.js';
import { parseIstioIptablesArgs } from './istio/args.js';
import { buildIstioRules, type IstioIptablesRules } from './istio/capture.js';
import { INJECTED_ISTIO_IPTABLES_ARGS } from './istio/constants.js';
import type { Ruleset } from './model.js';
import { NetNamespace, type PolicyRoute } from './netns.js';
import { parseRestore } from './restore.js';
import { applyRestore } from './ruleset.js';

const LO4: IpAddress = { family: 4, words: [0x7f000001] };
const LO6: IpAddress = { family: 6, words: [0, 0, 0, 1] };
const SIX6: IpAddress = { family: 6, words: [0, 0, 0, 6] };

function ipOf(ip: string | IpAddress, what: string): IpAddress {
  if (typeof ip !== 'string') return ip;
  const parsed = parseIp(ip);
  if (parsed === undefined) throw new ConfigError(`${what} "${ip}" is not an IP address`, {}, 'usage');
  return parsed;
}

/** Options shared by the namespace builders. */
export interface NamespaceOptions {
  /** Rules as loaded (`Ruleset`) or already compiled. */
  readonly rules: Ruleset | CompiledRuleset;
  readonly policyRoutes?: readonly PolicyRoute[];
  /** Randomness for `-m statistic`. @defaultValue a fixed stream */
  readonly random?: RandomSource;
  /** Group names `-m owner --gid-owner NAME` may use, besides root and istio-proxy. */
  readonly groups?: Readonly<Record<string, number>>;
}

const compiled = (o: NamespaceOptions): CompiledRuleset =>
  'ruleset' in o.rules
    ? o.rules
    : compileRuleset(o.rules, o.groups ? { groups: { root: 0, 'istio-proxy': 1337, ...o.groups } } : {});

/** A pod's network namespace: `lo` and `eth0` carrying `podIp`. */
export function podNamespace(podIp: string | IpAddress, options: NamespaceOptions): NetNamespace {
  const ip = ipOf(podIp, 'pod IP');
  const rules = compiled(options);
  if (rules.family !== ip.family)
    throw new ConfigError(`pod IP ${podIp} is IPv${ip.family} but the rules are IPv${rules.family}`, {}, 'usage');
  // istio-iptables adds ::6/128 to lo on IPv6 pods (configureIPv6Addresses), the inbound passthrough source.
  const lo = ip.family === 4 ? [LO4] : [LO6, SIX6];
  return new NetNamespace({
    rules,
    interfaces: [
      { name: 'lo', addresses: lo },
      { name: 'eth0', addresses: [ip] },
    ],
    ...(options.policyRoutes ? { policyRoutes: options.policyRoutes } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
}

/** A node's network namespace (kube-proxy's): `lo` and `eth0` with `nodeIp`, forwarding on. */
export function nodeNamespace(nodeIp: string | IpAddress, options: NamespaceOptions): NetNamespace {
  const ip = ipOf(nodeIp, 'node IP');
  return new NetNamespace({
    rules: compiled(options),
    interfaces: [
      { name: 'lo', addresses: [ip.family === 4 ? LO4 : LO6] },
      { name: 'eth0', addresses: [ip] },
    ],
    ipForward: true,
    routeLocalnet: true, // kube-proxy sets it for localhost NodePorts (--iptables-localhost-nodeports, default on)
    ...(options.policyRoutes ? { policyRoutes: options.policyRoutes } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
}

/** The ruleset istio-iptables leaves in a pod of the given family (its payload applied with `--noflush`). */
export function istioRuleset(rules: IstioIptablesRules, family: 4 | 6 = 4): Ruleset {
  if (family === 6 && rules.v6 === undefined) {
    throw new ConfigError('these istio-iptables rules have no IPv6 part (enableIPv6 is off)', {}, 'usage');
  }
  const text = family === 4 ? rules.v4 : (rules.v6 as string);
  return applyRestore(
    undefined,
    parseRestore(text, { file: `<istio-iptables ${family === 4 ? 'iptables' : 'ip6tables'}-restore>`, family }),
    { noflush: true },
  );
}

/** A sidecar-injected pod: the istio-iptables rules for `podIp`'s family, with TPROXY policy routes. */
export function istioPodNamespace(
  rules: IstioIptablesRules,
  podIp: string | IpAddress,
  options: Omit<NamespaceOptions, 'rules' | 'policyRoutes'> = {},
): NetNamespace {
  const ip = ipOf(podIp, 'pod IP');
  return podNamespace(ip, { ...options, rules: istioRuleset(rules, ip.family), policyRoutes: rules.policyRoutes });
}

/** What runs in a pod's `istio-init` container (the shape of the mesh model's `IptablesInvocation`). */
export interface IstioInitInvocation {
  /** `istio-iptables` arguments (with or without `istio-iptables` first). @defaultValue {@link INJECTED_ISTIO_IPTABLES_ARGS} */
  readonly args?: readonly string[];
  /** The container's environment (`proxyMetadata`), e.g. `ISTIO_META_DNS_CAPTURE: 'true'`. @defaultValue `{}` */
  readonly env?: Readonly<Record<string, string>>;
  /** Nameservers of the pod's resolv.conf, for DNS capture. @defaultValue `[]` */
  readonly dnsServers?: readonly string[];
}

/**
 * A sidecar-injected pod in one call: the rules `istio-init` installs with `invocation` (by default the
 * injection template's, {@link INJECTED_ISTIO_IPTABLES_ARGS}) around `podIp`, IPv6 when the address is —
 * `istio-iptables` → `iptables-restore --noflush` → {@link istioPodNamespace}. A mesh model's proxy passes
 * its own: `sidecarPodNamespace(proxy.ip, proxy.iptables)`. Throws `ConfigError` for arguments
 * istio-iptables would refuse.
 */
export function sidecarPodNamespace(
  podIp: string | IpAddress,
  invocation: IstioInitInvocation = {},
  options: Omit<NamespaceOptions, 'rules' | 'policyRoutes'> = {},
): NetNamespace {
  const ip = ipOf(podIp, 'pod IP');
  const cfg = parseIstioIptablesArgs(invocation.args ?? INJECTED_ISTIO_IPTABLES_ARGS, {
    env: invocation.env ?? {},
    nameservers: invocation.dnsServers ?? [],
    ipv6: ip.family === 6,
  });
  return istioPodNamespace(buildIstioRules(cfg), ip, options);
}

/** A node with kube-proxy's rules: its jump rules, then its sync payload, each with `--noflush`. */
export function kubeProxyNamespace(
  rules: { readonly jumps: string; readonly sync: string },
  nodeIp: string | IpAddress,
  options: Omit<NamespaceOptions, 'rules'> = {},
): NetNamespace {
  const ip = ipOf(nodeIp, 'node IP');
  let rs = applyRestore(undefined, parseRestore(rules.jumps, { file: '<kube-proxy jump rules>', family: ip.family }), {
    noflush: true,
  });
  rs = applyRestore(rs, parseRestore(rules.sync, { file: '<kube-proxy iptables-restore>', family: ip.family }), {
    noflush: true,
  });
  return nodeNamespace(ip, { ...options, rules: rs });
}
