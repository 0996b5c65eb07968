import {
  buildIstioRules,
  istioPodNamespace,
  parseIp,
  parseIstioIptablesArgs,
  traceToJson,
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
