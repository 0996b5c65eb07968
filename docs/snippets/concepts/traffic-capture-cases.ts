import { formatEndpoint, parseIp, sidecarPodNamespace } from '@meshsim/sim-core/netfilter';
import type { IpAddress, PacketOutcome } from '@meshsim/sim-core/netfilter';

// A sidecar-injected pod at 10.244.1.5, with the rules istio-init installs by default.
const pod = sidecarPodNamespace('10.244.1.5');
const ip = (s: string) => parseIp(s) as IpAddress;
const app = { uid: 0, gid: 0 };
const envoy = { uid: 1337, gid: 1337 };
const [TCP, UDP] = [6, 17];

const show = (what: string, o: PacketOutcome) => {
  const where =
    o.verdict === 'local'
      ? `port ${o.localPort}`
      : o.delivered === 'out'
        ? `out of ${o.outInterface}`
        : 'delivered as addressed';
  const to = formatEndpoint(o.destination.ip, o.destination.port);
  const orig = formatEndpoint(o.originalDestination.ip, o.originalDestination.port);
  console.log(`${what.padEnd(36)} ${o.verdict.padEnd(5)} ${where.padEnd(22)} ${to} (dialled ${orig})`);
};

show('app → 10.96.0.10:80', pod.output({ protocol: TCP, dst: ip('10.96.0.10'), dport: 80, owner: app }));
show('Envoy (uid 1337) → 10.96.0.10:80', pod.output({ protocol: TCP, dst: ip('10.96.0.10'), dport: 80, owner: envoy }));
show('app → 127.0.0.1:8080', pod.output({ protocol: TCP, dst: ip('127.0.0.1'), dport: 8080, owner: app }));
show('app → its own pod IP :8080', pod.output({ protocol: TCP, dst: ip('10.244.1.5'), dport: 8080, owner: app }));
show(
  'Envoy → its own pod IP :80 (via lo)',
  pod.output({ protocol: TCP, dst: ip('10.244.1.5'), dport: 80, owner: envoy }),
);
show('app → 10.96.0.10:53 (UDP)', pod.output({ protocol: UDP, dst: ip('10.96.0.10'), dport: 53, owner: app }));
for (const port of [80, 15021, 15090, 15020, 15008]) {
  show(
    `inbound → :${port}`,
    pod.input({ protocol: TCP, src: ip('10.244.2.7'), sport: 51000, dst: ip('10.244.1.5'), dport: port }),
  );
}
