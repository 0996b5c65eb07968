/**
 * `-j CT --zone N` / `-j CT --notrack` (kernel net/netfilter/xt_CT.c, iptables extensions/libxt_CT.c): set
 * up the conntrack template before conntrack sees the packet, so only the raw table accepts it. Istio's
 * DNS capture puts the agent's upstream queries in zone 1 and the app ↔ agent queries in zone 2, so the
 * two UDP flows through the same sockets never collide in one conntrack table.
 */
import { fail, parseUint, type TargetModule } from '../extension.js';
import type { Target } from '../model.js';

type Ct = Extract<Target, { kind: 'CT' }>;

/** `-j CT`. */
export const ctTarget: TargetModule<Ct> = {
  name: 'CT',
  options: [
    { name: 'zone', hasArg: true, invertible: false },
    { name: 'notrack', hasArg: false, invertible: false },
  ],
  table: 'raw',
  parse(uses, ctx): Ct {
    const what = '-j CT';
    const zoneUse = uses.filter((u) => u.name === 'zone');
    const notrack = uses.some((u) => u.name === 'notrack');
    if (zoneUse.length > 1) fail(ctx.where, what, '--zone given more than once');
    if (zoneUse.length === 0 && !notrack)
      fail(ctx.where, what, '--zone or --notrack is required (other CT options are not modelled)');
    if (zoneUse[0] === undefined) return { kind: 'CT', notrack };
    const zone = parseUint(zoneUse[0].value, 0xffff);
    if (zone === undefined) fail(ctx.where, what, `bad zone "${zoneUse[0].value}"`);
    return { kind: 'CT', zone, notrack };
  },
  save: (t) => (t.notrack ? ['--notrack'] : ['--zone', `${t.zone ?? 0}`]),
  run(t, p) {
    // xt_ct_target: "Previously seen? Ignore." — the first CT rule to match sets the template.
    if (p.ct.template !== null) return 'CONTINUE';
    p.ct.template = t;
    if (t.notrack) p.ct.notrack = true;
    if (t.zone !== undefined) p.ct.zone = t.zone;
    return 'CONTINUE';
  },
  describe: (t, p) =>
    p.ct.template !== t
      ? 'ignored: an earlier CT rule already set this packet’s conntrack template'
      : t.notrack
        ? 'connection not tracked'
        : `conntrack zone ${t.zone ?? 0}`,
};
