import { formatTrace, parseIp, sidecarPodNamespace } from '@meshsim/sim-core/netfilter';
import type { IpAddress } from '@meshsim/sim-core/netfilter';

// A sidecar-injected pod at 10.244.1.5, with the rules istio-init installs by default.
const pod = sidecarPodNamespace('10.244.1.5');

// The application (running as root, uid 0) opens a TCP connection to a Service address.
const out = pod.output(
  { protocol: 6, dst: parseIp('10.96.0.10') as IpAddress, dport: 80, owner: { uid: 0, gid: 0 } },
  { trace: true },
);
console.log(formatTrace(out).trimEnd());
