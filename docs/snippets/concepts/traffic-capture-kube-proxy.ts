import { RngStreams } from '@meshsim/sim-core';
import { buildKubeProxyRules, formatEndpoint, kubeProxyNamespace, parseIp } from '@meshsim/sim-core/netfilter';
import type { IpAddress } from '@meshsim/sim-core/netfilter';

// Without a sidecar, the node's kube-proxy rules pick an endpoint for a ClusterIP (iptables mode).
const service = {
  namespace: 'sidecar',
  name: 'nginx',
  portName: 'http',
  clusterIP: '10.96.1.1',
  port: 80,
  endpoints: [1, 2, 3].map((i) => ({ ip: `10.244.2.${i}`, port: 80 })),
};
const rules = buildKubeProxyRules([service], { clusterCIDR: '10.244.0.0/16' });
console.log(
  rules.sync
    .split('\n')
    .filter((l) => l.startsWith('-A KUBE-SVC-'))
    .join('\n'),
);

const node = kubeProxyNamespace(rules, '192.168.0.10', { random: new RngStreams(42).stream('kube-proxy') });
const ip = (s: string) => parseIp(s) as IpAddress;
const counts = new Map<string, number>();
for (let sport = 30000; sport < 33000; sport++) {
  const o = node.input({ protocol: 6, src: ip('10.244.1.5'), sport, dst: ip('10.96.1.1'), dport: 80 });
  const to = formatEndpoint(o.destination.ip, o.destination.port);
  counts.set(to, (counts.get(to) ?? 0) + 1);
}
console.log(
  [...counts]
    .sort()
    .map(([to, n]) => `${to} ${n}`)
    .join(', '),
);
// The same connection again: conntrack answers, the rules (and their dice) are not consulted.
const again = node.input({ protocol: 6, src: ip('10.244.1.5'), sport: 30000, dst: ip('10.96.1.1'), dport: 80 });
console.log(`sport 30000 again: ${again.conntrack}, ${formatEndpoint(again.destination.ip, again.destination.port)}`);
