/**
 * kube-proxy in iptables mode for ClusterIP and NodePort Services with the Cluster traffic policy —
 * kubernetes/kubernetes pkg/proxy/iptables/proxier.go `syncProxyRules`, `writeServiceToEndpointRules`,
 * `computeProbability`, `iptablesJumpChains`; endpoint choice as pkg/proxy/topology.go
 * `CategorizeEndpoints` (ready endpoints, else serving-and-terminating ones). Endpoints are ordered as
 * pkg/proxy/endpointslicecache.go sorts them (by "ip:port" string); Services, which proxier.go visits in
 * Go map order, are written sorted by name so the output is deterministic. Not modelled: Local traffic
 * policies, session affinity (`-m recent`), LoadBalancer/external IPs, topology hints, nfacct counters.
 */
import { ConfigError } from '../../errors.js';
import { parseIp } from '../addr.js';
import { endpointChainName, serviceChainName, serviceExternalChainName, servicePortName } from './chainNames.js';

/** One endpoint of a Service port (from an EndpointSlice). */
export interface KubeProxyEndpoint {
  readonly ip: string;
  readonly port: number;
  /** EndpointConditions.ready. @defaultValue true */
  readonly ready?: boolean;
  /** EndpointConditions.serving. @defaultValue the value of ready */
  readonly serving?: boolean;
  /** EndpointConditions.terminating. @defaultValue false */
  readonly terminating?: boolean;
}

/** One port of a Service, with its endpoints. */
export interface KubeProxyServicePort {
  readonly namespace: string;
  readonly name: string;
  /** ServicePort.name; empty for an unnamed single port. @defaultValue "" */
  readonly portName?: string;
  /** @defaultValue "TCP" */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly clusterIP: string;
  readonly port: number;
  /** Set for NodePort Services. */
  readonly nodePort?: number;
  readonly endpoints: readonly KubeProxyEndpoint[];
}

/** kube-proxy flags that shape the rules. */
export interface KubeProxyOptions {
  /** `--cluster-cidr`: the LocalTrafficDetector's pod CIDR (`! -s CIDR -j KUBE-MARK-MASQ`). */
  readonly clusterCIDR?: string;
  /** `--masquerade-all`. @defaultValue false */
  readonly masqueradeAll?: boolean;
  /** `--iptables-masquerade-bit`. @defaultValue 14 */
  readonly masqueradeBit?: number;
  /** The mark string itself; by default `fmt.Sprintf("%#08x", 1<<bit)` = `0x00004000`. */
  readonly masqueradeMark?: string;
  /** Whether iptables supports `--random-fully` (every current distribution does). @defaultValue true */
  readonly randomFully?: boolean;
  /** `--iptables-localhost-nodeports` (IPv4). @defaultValue true */
  readonly localhostNodePorts?: boolean;
  /** `net.netfilter.nf_conntrack_tcp_be_liberal` is set (no INVALID drop rule). @defaultValue false */
  readonly conntrackTCPLiberal?: boolean;
  /** @defaultValue 4 */
  readonly family?: 4 | 6;
}

/** The two payloads kube-proxy applies: its jump rules in built-in chains, and the full sync. */
export interface KubeProxyRules {
  /** `iptablesJumpChains` (+ kubelet's KUBE-FIREWALL), installed by `EnsureRule(Prepend, …)`: `-I CHAIN 1` lines. */
  readonly jumps: string;
  /** The `iptables-restore --noflush` payload of `syncProxyRules` (filter and nat). */
  readonly sync: string;
}

const q = (s: string): string => `"${s}"`;
const LARGE_CLUSTER_ENDPOINTS = 1000;

interface Jump {
  readonly table: 'filter' | 'nat';
  readonly dst: string;
  readonly src: string;
  readonly comment: string;
  readonly extra: readonly string[];
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];
const JUMPS: readonly Jump[] = [
  {
    table: 'filter',
    dst: 'KUBE-EXTERNAL-SERVICES',
    src: 'INPUT',
    comment: 'kubernetes externally-visible service portals',
    extra: NEW,
  },
  {
    table: 'filter',
    dst: 'KUBE-EXTERNAL-SERVICES',
    src: 'FORWARD',
    comment: 'kubernetes externally-visible service portals',
    extra: NEW,
  },
  { table: 'filter', dst: 'KUBE-NODEPORTS', src: 'INPUT', comment: 'kubernetes health check service ports', extra: [] },
  { table: 'filter', dst: 'KUBE-SERVICES', src: 'FORWARD', comment: 'kubernetes service portals', extra: NEW },
  { table: 'filter', dst: 'KUBE-SERVICES', src: 'OUTPUT', comment: 'kubernetes service portals', extra: NEW },
  { table: 'filter', dst: 'KUBE-FORWARD', src: 'FORWARD', comment: 'kubernetes forwarding rules', extra: [] },
  {
    table: 'filter',
    dst: 'KUBE-PROXY-FIREWALL',
    src: 'INPUT',
    comment: 'kubernetes load balancer firewall',
    extra: NEW,
  },
  {
    table: 'filter',
    dst: 'KUBE-PROXY-FIREWALL',
    src: 'OUTPUT',
    comment: 'kubernetes load balancer firewall',
    extra: NEW,
  },
  {
    table: 'filter',
    dst: 'KUBE-PROXY-FIREWALL',
    src: 'FORWARD',
    comment: 'kubernetes load balancer firewall',
    extra: NEW,
  },
  { table: 'nat', dst: 'KUBE-SERVICES', src: 'OUTPUT', comment: 'kubernetes service portals', extra: [] },
  { table: 'nat', dst: 'KUBE-SERVICES', src: 'PREROUTING', comment: 'kubernetes service portals', extra: [] },
  { table: 'nat', dst: 'KUBE-POSTROUTING', src: 'POSTROUTING', comment: 'kubernetes postrouting rules', extra: [] },
  // iptablesKubeletJumpChains: no comment.
  { table: 'filter', dst: 'KUBE-FIREWALL', src: 'INPUT', comment: '', extra: [] },
  { table: 'filter', dst: 'KUBE-FIREWALL', src: 'OUTPUT', comment: '', extra: [] },
];

/** `computeProbability(n)`: `fmt.Sprintf("%0.10f", 1.0/float64(n))`. */
export function computeProbability(n: number): string {
  return (1 / n).toFixed(10);
}

/** `net.JoinHostPort`. */
const joinHostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** The endpoints the Cluster policy uses: ready ones, else serving-and-terminating ones (CategorizeEndpoints). */
export function clusterEndpoints(endpoints: readonly KubeProxyEndpoint[]): KubeProxyEndpoint[] {
  const sorted = [...endpoints].sort((a, b) => {
    const x = joinHostPort(a.ip, a.port);
    const y = joinHostPort(b.ip, b.port);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const ready = sorted.filter((e) => e.ready ?? true);
  if (ready.length > 0) return ready;
  return sorted.filter((e) => (e.serving ?? e.ready ?? true) && (e.terminating ?? false));
}

/** Builds kube-proxy's rules for `services` on one node. */
export function buildKubeProxyRules(
  services: readonly KubeProxyServicePort[],
  options: KubeProxyOptions = {},
): KubeProxyRules {
  const family = options.family ?? 4;
  const mark = options.masqueradeMark ?? `0x${(2 ** (options.masqueradeBit ?? 14)).toString(16).padStart(8, '0')}`;
  const localhostNodePorts = family === 4 && (options.localhostNodePorts ?? true);
  for (const s of services) {
    const ip = parseIp(s.clusterIP);
    if (ip === undefined || ip.family !== family) {
      throw new ConfigError(
        `Service ${s.namespace}/${s.name}: clusterIP "${s.clusterIP}" is not an IPv${family} address`,
        { kind: 'Service', object: `${s.namespace}/${s.name}`, field: 'spec.clusterIP' },
        'kube-proxy',
      );
    }
  }
  const jumps = { filter: [] as string[], nat: [] as string[] };
  const jumpChains = { filter: [] as string[], nat: [] as string[] };
  for (const j of JUMPS) {
    if (j.dst === 'KUBE-FIREWALL' && !localhostNodePorts) continue;
    if (!jumpChains[j.table].includes(j.dst)) jumpChains[j.table].push(j.dst);
    const args = [...j.extra, ...(j.comment ? ['-m', 'comment', '--comment', q(j.comment)] : []), '-j', j.dst];
    jumps[j.table].push(`-I ${j.src} 1 ${args.join(' ')}`);
  }
  const jumpText = (['filter', 'nat'] as const)
    .map((t) => [`*${t}`, ...jumpChains[t].map((c) => `:${c} - [0:0]`), ...jumps[t], 'COMMIT'].join('\n'))
    .join('\n');

  const filterChains = [
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
  ].map((c) => `:${c} - [0:0]`);
  const filterRules: string[] = [];
  const natChains = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'].map(
    (c) => `:${c} - [0:0]`,
  );
  const natRules: string[] = [
    `-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`,
    `-A KUBE-POSTROUTING -m comment --comment ${q('kubernetes service traffic requiring SNAT')} -j MASQUERADE${(options.randomFully ?? true) ? ' --random-fully' : ''}`,
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`,
  ];
  if (localhostNodePorts) {
    filterChains.push(':KUBE-FIREWALL - [0:0]');
    filterRules.push(
      `-A KUBE-FIREWALL -m comment --comment ${q('block incoming localnet connections')} -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
    );
  }
  const sorted = [...services].sort((a, b) => {
    const x = servicePortName(a.namespace, a.name, a.portName);
    const y = servicePortName(b.namespace, b.name, b.portName);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const total = sorted.reduce((n, s) => n + clusterEndpoints(s.endpoints).length, 0);
  const largeCluster = total > LARGE_CLUSTER_ENDPOINTS;
  const comment = (c: string): string => (largeCluster ? '' : ` -m comment --comment ${c}`);

  for (const s of sorted) {
    const proto = (s.protocol ?? 'TCP').toLowerCase();
    const name = servicePortName(s.namespace, s.name, s.portName);
    const svcChain = serviceChainName(name, proto);
    const extChain = serviceExternalChainName(name, proto);
    const eps = clusterEndpoints(s.endpoints);
    const has = eps.length > 0;
    const vip = `-m ${proto} -p ${proto} -d ${s.clusterIP} --dport ${s.port}`;
    if (has) natRules.push(`-A KUBE-SERVICES -m comment --comment ${q(`${name} cluster IP`)} ${vip} -j ${svcChain}`);
    else filterRules.push(`-A KUBE-SERVICES -m comment --comment ${q(`${name} has no endpoints`)} ${vip} -j REJECT`);
    if (s.nodePort !== undefined) {
      if (has)
        natRules.push(
          `-A KUBE-NODEPORTS -m comment --comment ${name} -m ${proto} -p ${proto} --dport ${s.nodePort} -j ${extChain}`,
        );
      else
        filterRules.push(
          `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${q(`${name} has no endpoints`)} -m addrtype --dst-type LOCAL -m ${proto} -p ${proto} --dport ${s.nodePort} -j REJECT`,
        );
    }
    if (!has) continue;
    const masq = `-A ${svcChain} -m comment --comment ${q(`${name} cluster IP`)} ${vip}`;
    if (options.masqueradeAll) natRules.push(`${masq} -j KUBE-MARK-MASQ`);
    else if (options.clusterCIDR !== undefined) natRules.push(`${masq} ! -s ${options.clusterCIDR} -j KUBE-MARK-MASQ`);
    if (s.nodePort !== undefined) {
      natChains.push(`:${extChain} - [0:0]`);
      natRules.push(
        `-A ${extChain} -m comment --comment ${q(`masquerade traffic for ${name} external destinations`)} -j KUBE-MARK-MASQ`,
      );
      natRules.push(`-A ${extChain} -j ${svcChain}`);
    }
    natChains.push(`:${svcChain} - [0:0]`);
    eps.forEach((e, i) => {
      const epStr = joinHostPort(e.ip, e.port);
      const sep = endpointChainName(name, proto, epStr);
      const stat =
        i < eps.length - 1 ? ` -m statistic --mode random --probability ${computeProbability(eps.length - i)}` : '';
      natRules.push(`-A ${svcChain}${comment(q(`${name} -> ${epStr}`))}${stat} -j ${sep}`);
    });
    for (const e of eps) {
      const epStr = joinHostPort(e.ip, e.port);
      const sep = endpointChainName(name, proto, epStr);
      natChains.push(`:${sep} - [0:0]`);
      natRules.push(`-A ${sep}${comment(name)} -s ${e.ip} -j KUBE-MARK-MASQ`);
      natRules.push(`-A ${sep}${comment(name)} -m ${proto} -p ${proto} -j DNAT --to-destination ${epStr}`);
    }
  }
  const nodePorts = family === 6 ? ' ! -d ::1/128' : localhostNodePorts ? '' : ' ! -d 127.0.0.0/8';
  natRules.push(
    `-A KUBE-SERVICES -m comment --comment ${q('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL${nodePorts} -j KUBE-NODEPORTS`,
  );
  if (!options.conntrackTCPLiberal) filterRules.push('-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP');
  filterRules.push(
    `-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark ${mark}/${mark} -j ACCEPT`,
  );
  filterRules.push(
    `-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  );
  const sync = [
    '*filter',
    ...filterChains,
    ...filterRules,
    'COMMIT',
    '*nat',
    ...natChains,
    ...natRules,
    'COMMIT',
    '',
  ].join('\n');
  return { jumps: `${jumpText}\n`, sync };
}
