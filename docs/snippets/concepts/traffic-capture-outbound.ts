import {
  buildIstioRules,
  formatTrace,
  istioPodNamespace,
  parseIp,
  parseIstioIptablesArgs,
} from '@meshsim/sim-core/netfilter';
import type { IpAddress } from '@meshsim/sim-core/netfilter';

const args = [
  '-p',
  '15001',
  '-z',
  '15006',
  '-u',
  '1337',
  '-m',
  'REDIRECT',
  '-i',
  '*',
  '-x',
  '',
  '-b',
  '*',
  '-d',
  '15090,15021,15020',
];
const pod = istioPodNamespace(buildIstioRules(parseIstioIptablesArgs(args)), '10.244.1.5');

// The application (running as root, uid 0) opens a TCP connection to a Service address.
const out = pod.output(
  { protocol: 6, dst: parseIp('10.96.0.10') as IpAddress, dport: 80, owner: { uid: 0, gid: 0 } },
  { trace: true },
);
console.log(formatTrace(out).trimEnd());
