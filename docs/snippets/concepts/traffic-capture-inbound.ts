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
const ip = (s: string) => parseIp(s) as IpAddress;

// A client in another pod connects to this pod's port 80.
const inbound = pod.input(
  { protocol: 6, src: ip('10.244.2.7'), sport: 51000, dst: ip('10.244.1.5'), dport: 80 },
  { trace: true },
);
console.log(formatTrace(inbound).trimEnd());
