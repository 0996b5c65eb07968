import { parseIp, sidecarPodNamespace, traceToJson } from '@meshsim/sim-core/netfilter';
import type { IpAddress } from '@meshsim/sim-core/netfilter';

// A sidecar-injected pod at 10.244.1.5, with the rules istio-init installs by default.
const pod = sidecarPodNamespace('10.244.1.5');

// The kubelet's readiness probe to the agent's health port: not captured.
const probe = pod.input(
  {
    protocol: 6,
    src: parseIp('10.244.1.1') as IpAddress,
    sport: 40000,
    dst: parseIp('10.244.1.5') as IpAddress,
    dport: 15021,
  },
  { trace: true },
);
console.log(JSON.stringify(traceToJson(probe), null, 2));
