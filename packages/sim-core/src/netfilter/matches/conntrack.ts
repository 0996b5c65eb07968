/**
 * `-m conntrack --ctstate` (kernel net/netfilter/xt_conntrack.c `conntrack_mt`, iptables
 * extensions/libxt_conntrack.c). The state bit is the packet's ctinfo (NEW, ESTABLISHED, RELATED), or
 * INVALID without a conntrack entry, or UNTRACKED after `CT --notrack`; SNAT and DNAT are added when the
 * connection's `IPS_SRC_NAT`/`IPS_DST_NAT` status bits are set. Only `--ctstate` is modelled.
 */
import { fail, type MatchModule, type OptionSpec } from '../extension.js';
import type { ConntrackMatch, CtState } from '../model.js';
import type { PacketState } from '../packet.js';

const OPTIONS: readonly OptionSpec[] = [{ name: 'ctstate', hasArg: true, invertible: true }];

// libxt_conntrack conntrack_dump_ctstate order — also how iptables-save prints the list.
const SAVE_ORDER: readonly CtState[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

/** The packet's state bits as `conntrack_mt` computes them. */
export function ctStates(p: PacketState): CtState[] {
  const ct = p.ct;
  if (ct.notrack) return ['UNTRACKED'];
  const out: CtState[] = [ct.state];
  if (ct.snat) out.push('SNAT');
  if (ct.dnat) out.push('DNAT');
  return out;
}

/** `-m conntrack`. */
export const conntrackMatch: MatchModule<ConntrackMatch> = {
  name: 'conntrack',
  options: OPTIONS,
  parse(uses, ctx): ConntrackMatch {
    const what = '-m conntrack';
    if (uses.length !== 1)
      fail(ctx.where, what, 'exactly one --ctstate is supported (other conntrack options are not modelled)');
    const u = uses[0]!;
    const states: CtState[] = [];
    for (const s of u.value.split(',')) {
      if (!SAVE_ORDER.includes(s as CtState))
        fail(ctx.where, what, `bad ctstate "${s}" (use ${SAVE_ORDER.join(', ')})`);
      if (!states.includes(s as CtState)) states.push(s as CtState);
    }
    return { module: 'conntrack', ctstate: { value: SAVE_ORDER.filter((s) => states.includes(s)), invert: u.invert } };
  },
  save(m: ConntrackMatch): string[] {
    return ['-m', 'conntrack', ...(m.ctstate.invert ? ['!'] : []), '--ctstate', m.ctstate.value.join(',')];
  },
  compile(m: ConntrackMatch) {
    const wanted = m.ctstate.value;
    const invert = m.ctstate.invert;
    return (p: PacketState): boolean => ctStates(p).some((s) => wanted.includes(s)) !== invert;
  },
  observe(_m: ConntrackMatch, p: PacketState): string {
    return `ctstate ${ctStates(p).join(',')}`;
  },
};
