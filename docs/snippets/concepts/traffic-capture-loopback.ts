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

// Envoy (uid 1337) connects to its own pod's address — e.g. the Service it called has this pod as endpoint.
const owner = { uid: 1337, gid: 1337 };
const self = pod.output({ protocol: 6, dst: parseIp('10.244.1.5') as IpAddress, dport: 80, owner }, { trace: true });
console.log(formatTrace(self).trimEnd());
