import { parseIp, sidecarPodNamespace } from '@meshsim/sim-core/netfilter';
import type { IpAddress } from '@meshsim/sim-core/netfilter';

// DNS capture is not an argument: istio-iptables reads ISTIO_META_DNS_CAPTURE from istio-init's environment
// (proxyMetadata) and the nameservers from the pod's /etc/resolv.conf.
const pod = sidecarPodNamespace('10.244.1.5', { env: { ISTIO_META_DNS_CAPTURE: 'true' }, dnsServers: ['10.96.0.10'] });
const dns = parseIp('10.96.0.10') as IpAddress;

const query = (who: string, uid: number, protocol: number, dport: number) => {
  const o = pod.output({ protocol, dst: dns, dport, sport: 45000, owner: { uid, gid: uid } });
  console.log(`${who.padEnd(38)} ${o.verdict}${o.localPort ? ` → ${o.localPort}` : ''}, conntrack zone ${o.zone}`);
};
query('app, UDP 53', 0, 17, 53);
query('app, TCP 53', 0, 6, 53);
query('app, UDP 5353', 0, 17, 5353);
query('agent (uid 1337), UDP 53, same ports', 1337, 17, 53); // its own query upstream: a separate connection
console.log(`tracked connections: ${pod.conntrack.size}`);
