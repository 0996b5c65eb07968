import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { RngStreams } from '../engine/rng.js';
import { ConfigError } from '../errors.js';
import { formatEndpoint, parseIp, type IpAddress } from './addr.js';
import { compileRuleset } from './compile.js';
import { CaptureCache, traverse } from './decisionCache.js';
import type { Rule, Ruleset, TableName } from './model.js';
import { podNamespace } from './namespaces.js';
import type { NetNamespace } from './netns.js';
import { parseRestore } from './restore.js';
import { parseRuleArgs } from './ruleParser.js';
import { applyRestore } from './ruleset.js';
import { formatSave } from './save.js';
import { chainGraphArb, connectionArb, rulesetArb, type ArbConnection } from './testArbitraries.js';
import type { PacketOutcome } from './walk.js';

const POD = '10.244.1.5';
const ip = (s: string): IpAddress => parseIp(s) as IpAddress;
const load = (text: string): Ruleset => applyRestore(undefined, parseRestore(text, { file: 'arb.rules' }));
const ns = (rs: Ruleset): NetNamespace =>
  podNamespace(POD, { rules: rs, random: new RngStreams(7).stream('netfilter') });
const send = (n: NetNamespace, c: ArbConnection, trace = false): PacketOutcome =>
  n.output(
    { protocol: c.protocol, dst: ip(c.dst), dport: c.dport, sport: c.sport, owner: { uid: c.uid, gid: c.gid } },
    { trace, track: false },
  );
const summary = (o: PacketOutcome) => ({
  verdict: o.verdict,
  localPort: o.localPort,
  destination: formatEndpoint(o.destination.ip, o.destination.port),
  source: formatEndpoint(o.source.ip, o.source.port),
  delivered: o.delivered,
  mark: o.mark,
});
// Rules without their source line, which differs between a file and its reprint.
const strip = (rs: Ruleset) =>
  rs.tables.map((t) => ({
    ...t,
    chains: t.chains.map((c) => ({ ...c, rules: c.rules.map(({ from: _from, ...r }) => r) })),
  }));

describe('netfilter properties', () => {
  test.prop([rulesetArb])('parse ∘ print is the identity on generated rule sets', ({ text }) => {
    const rs = load(text);
    expect(strip(load(formatSave(rs)))).toEqual(strip(rs));
  });

  test.prop([rulesetArb, fc.array(connectionArb, { minLength: 1, maxLength: 8 })])(
    'iptables-save’s canonical spelling loads to a ruleset that decides every connection the same way',
    ({ text }, conns) => {
      const rs = load(text);
      const canon = load(formatSave(rs, { style: 'canonical' }));
      expect(formatSave(canon, { style: 'canonical' })).toBe(formatSave(rs, { style: 'canonical' }));
      const a = ns(rs);
      const b = ns(canon);
      for (const c of conns) expect(summary(send(b, c))).toEqual(summary(send(a, c)));
    },
  );

  test.prop([chainGraphArb, fc.array(connectionArb, { maxLength: 5 })])(
    'a chain graph with a cycle is refused at load, as the kernel refuses it; any other graph traverses to an end',
    ({ text, edges, n }, conns) => {
      const rs = load(text);
      if (hasCycle(n, edges)) {
        expect(() => compileRuleset(rs)).toThrow(ConfigError);
        expect(() => compileRuleset(rs)).toThrow(/chain loop in table filter: (G\d → )+G\d/);
        return;
      }
      const space = ns(rs);
      for (const c of conns) {
        const o = send(space, c, true);
        expect(o.hops.length).toBeLessThan(10_000);
        expect(['pass', 'local', 'dnat', 'drop']).toContain(o.verdict);
      }
    },
  );

  test.prop([rulesetArb, connectionArb, fc.nat(), ruleArgsArb()])(
    'adding a rule after a terminal verdict never changes the outcome',
    ({ text }, conn, pick, extra) => {
      // End filter OUTPUT with an explicit ACCEPT so most traversals have a terminal rule to insert after.
      const rs = load(text.replace(/COMMIT\n$/, '-A OUTPUT -j ACCEPT\nCOMMIT\n'));
      const before = send(ns(rs), conn, true);
      const terminals = terminalHops(rs, before);
      fc.pre(terminals.length > 0);
      const t = terminals[pick % terminals.length]!;
      const table = t.table as TableName;
      const rule = parseRuleArgs(extra[table], { where: { file: 'extra' } });
      const changed = insertAfter(rs, table, t.chain, t.rule, rule);
      const after = send(ns(changed), conn, true);
      expect(summary(after)).toEqual(summary(before));
      expect(after.hops.map((h) => h.text)).toEqual(before.hops.map((h) => h.text));
    },
  );

  test.prop([rulesetArb, fc.array(connectionArb, { minLength: 1, maxLength: 30 })])(
    'the decision cache returns exactly what an uncached traversal decides',
    ({ text }, conns) => {
      const rs = load(text);
      const cache = new CaptureCache(ns(rs));
      const reference = ns(rs);
      for (const c of conns) {
        const cls = {
          direction: 'out' as const,
          protocol: c.protocol,
          dst: ip(c.dst),
          dport: c.dport,
          sport: c.sport,
          uid: c.uid,
          gid: c.gid,
        };
        expect(summary({ ...cache.decide(cls), mark: 0 } as PacketOutcome)).toEqual(
          summary({ ...traverse(reference, cls), mark: 0 }),
        );
      }
    },
  );
});

function hasCycle(n: number, edges: readonly [number, number][]): boolean {
  // Kahn's algorithm: a graph is acyclic iff every node can be removed in topological order.
  const indeg = new Array<number>(n).fill(0);
  for (const [, b] of edges) indeg[b]!++;
  const queue = indeg.flatMap((d, i) => (d === 0 ? [i] : []));
  let removed = 0;
  while (queue.length > 0) {
    const a = queue.pop()!;
    removed++;
    for (const [x, b] of edges) if (x === a && --indeg[b]! === 0) queue.push(b);
  }
  return removed < n;
}

const TERMINAL = new Set(['ACCEPT', 'DROP', 'REJECT', 'REDIRECT', 'DNAT', 'SNAT', 'MASQUERADE', 'TPROXY']);

/** Hops whose rule ended its table's traversal, at a position that traversal reached for the first time. */
function terminalHops(rs: Ruleset, o: PacketOutcome): { table: string; chain: string; rule: number }[] {
  const out: { table: string; chain: string; rule: number }[] = [];
  for (const s of o.steps) {
    if (s.kind !== 'table') continue;
    const last = s.hops.filter((h) => h.rule !== null).at(-1);
    if (!last?.matched || last.rule === null) continue;
    const rule = rs.tables.find((t) => t.name === s.table)?.chains.find((c) => c.name === last.chain)?.rules[
      last.rule - 1
    ];
    if (!rule || !TERMINAL.has(rule.target.kind)) continue;
    if (s.hops.filter((h) => h.chain === last.chain && h.rule === last.rule).length > 1) continue; // reached before without matching
    out.push({ table: s.table, chain: last.chain, rule: last.rule });
  }
  return out;
}

function insertAfter(rs: Ruleset, table: TableName, chain: string, position: number, rule: Rule): Ruleset {
  return {
    ...rs,
    tables: rs.tables.map((t) =>
      t.name !== table
        ? t
        : {
            ...t,
            chains: t.chains.map((c) =>
              c.name !== chain ? c : { ...c, rules: [...c.rules.slice(0, position), rule, ...c.rules.slice(position)] },
            ),
          },
    ),
  };
}

/** Rules to insert, one valid for each table (no jumps: an unreachable jump could still close a loop). */
function ruleArgsArb(): fc.Arbitrary<Record<'nat' | 'filter' | 'raw' | 'mangle', string[]>> {
  const common = fc.constantFrom<string[]>(
    ['-j', 'ACCEPT'],
    ['-j', 'RETURN'],
    ['-p', 'tcp', '--dport', '80', '-j', 'ACCEPT'],
    ['-m', 'mark', '--mark', '0x0', '-j', 'MARK', '--set-xmark', '0x2/0x2'],
    [],
  );
  return fc.record({
    nat: fc.oneof(common, fc.constant<string[]>(['-p', 'tcp', '-j', 'REDIRECT', '--to-ports', '9999'])),
    filter: fc.oneof(common, fc.constant<string[]>(['-j', 'DROP']), fc.constant<string[]>(['-j', 'REJECT'])),
    raw: common,
    mangle: common,
  });
}
