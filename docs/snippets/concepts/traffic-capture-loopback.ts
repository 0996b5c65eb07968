import { formatTrace, parseIp, sidecarPodNamespace } from '@meshsim/sim-core/netfilter';
import type { IpAddress } from '@meshsim/sim-core/netfilter';

// A sidecar-injected pod at 10.244.1.5, with the rules istio-init installs by default.
const pod = sidecarPodNamespace('10.244.1.5');

// Envoy (uid 1337) connects to its own pod's address — e.g. the Service it called has this pod as endpoint.
const owner = { uid: 1337, gid: 1337 };
const self = pod.output({ protocol: 6, dst: parseIp('10.244.1.5') as IpAddress, dport: 80, owner }, { trace: true });
console.log(formatTrace(self).trimEnd());
