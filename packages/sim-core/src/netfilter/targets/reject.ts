/**
 * `-j REJECT [--reject-with TYPE]` (kernel net/ipv4/netfilter/ipt_REJECT.c, iptables
 * extensions/libipt_REJECT.c, libip6t_REJECT.c): drops the packet and answers with an ICMP error or a TCP
 * reset — the client sees "connection refused" at once instead of a timeout. kube-proxy uses it in the
 * filter table for Services without endpoints. Only the filter table's INPUT, FORWARD and OUTPUT accept it.
 */
import { fail, type TargetModule } from '../extension.js';
import type { Target } from '../model.js';

type Reject = Extract<Target, { kind: 'REJECT' }>;

const TYPES4 = [
  'icmp-net-unreachable',
  'icmp-host-unreachable',
  'icmp-port-unreachable',
  'icmp-proto-unreachable',
  'icmp-net-prohibited',
  'icmp-host-prohibited',
  'icmp-admin-prohibited',
  'tcp-reset',
];
const TYPES6 = [
  'icmp6-no-route',
  'icmp6-adm-prohibited',
  'icmp6-addr-unreachable',
  'icmp6-port-unreachable',
  'tcp-reset',
];
// libipt_REJECT accepts these short aliases and saves the long name.
const ALIASES: Readonly<Record<string, string>> = {
  'net-unreach': 'icmp-net-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'proto-unreach': 'icmp-proto-unreachable',
  'net-prohib': 'icmp-net-prohibited',
  'host-prohib': 'icmp-host-prohibited',
  'admin-prohib': 'icmp-admin-prohibited',
  'tcp-rst': 'tcp-reset',
};

/** `-j REJECT`. */
export const rejectTarget: TargetModule<Reject> = {
  name: 'REJECT',
  options: [{ name: 'reject-with', hasArg: true, invertible: false }],
  table: 'filter',
  hooks: ['INPUT', 'FORWARD', 'OUTPUT'],
  parse(uses, ctx): Reject {
    const types = ctx.family === 4 ? TYPES4 : TYPES6;
    const u = uses.find((x) => x.name === 'reject-with');
    if (u === undefined)
      return { kind: 'REJECT', rejectWith: types === TYPES4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable' };
    const name = ALIASES[u.value] ?? u.value;
    if (!types.includes(name))
      fail(ctx.where, '-j REJECT', `unknown reject type "${u.value}" (use ${types.join(', ')})`);
    if (name === 'tcp-reset' && ctx.protocol?.number !== 6)
      fail(ctx.where, '-j REJECT', 'tcp-reset is only valid with -p tcp');
    return { kind: 'REJECT', rejectWith: name };
  },
  save: (t) => ['--reject-with', t.rejectWith],
  run: () => 'DROP',
  describe: (t) => `REJECT with ${t.rejectWith}`,
};
