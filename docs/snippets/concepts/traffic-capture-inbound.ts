import { formatTrace, parseIp, sidecarPodNamespace } from '@meshsim/sim-core/netfilter';
import type { IpAddress } from '@meshsim/sim-core/netfilter';

// A sidecar-injected pod at 10.244.1.5, with the rules istio-init installs by default.
const pod = sidecarPodNamespace('10.244.1.5');
const ip = (s: string) => parseIp(s) as IpAddress;

// A client in another pod connects to this pod's port 80.
const inbound = pod.input(
  { protocol: 6, src: ip('10.244.2.7'), sport: 51000, dst: ip('10.244.1.5'), dport: 80 },
  { trace: true },
);
console.log(formatTrace(inbound).trimEnd());
