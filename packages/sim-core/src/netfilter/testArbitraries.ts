/**
 * fast-check arbitraries for netfilter property tests: random rulesets written as iptables-restore text
 * (so every property also exercises the parser) and random connections of a pod. Test-only: imports
 * fast-check, so it is not part of the package's public entry.
 */
import fc from 'fast-check';

/** A generated ruleset, as restore text. */
export interface ArbRuleset {
  readonly text: string;
}

const ADDRS = ['10.0.0.0/8', '10.96.0.10/32', '127.0.0.1/32', '10.244.1.5/32', '127.0.0.6/32'];
const PORTS = [53, 80, 8080, 15001, 15006, 15021];

const neg = fc.boolean().map((b) => (b ? ['!'] : []));

function matchesArb(table: 'nat' | 'filter'): fc.Arbitrary<string[]> {
  return fc
    .record({
      proto: fc.constantFrom<string | null>(null, 'tcp', 'udp', 'tcp'),
      dst: fc.option(fc.tuple(neg, fc.constantFrom(...ADDRS)), { nil: null }),
      src: fc.option(fc.tuple(neg, fc.constantFrom(...ADDRS)), { nil: null }),
      out: fc.option(fc.tuple(neg, fc.constantFrom('lo', 'eth0', 'eth+')), { nil: null }),
      port: fc.option(fc.tuple(neg, fc.constantFrom('--dport', '--sport'), fc.constantFrom(...PORTS)), { nil: null }),
      multiport: fc.option(fc.tuple(neg, fc.subarray(PORTS, { minLength: 2, maxLength: 4 })), { nil: null }),
      owner: fc.option(fc.tuple(neg, fc.constantFrom('--uid-owner', '--gid-owner'), fc.constantFrom(0, 1337, 1000)), {
        nil: null,
      }),
      mark: fc.option(fc.tuple(neg, fc.constantFrom('0x1/0x1', '0x539', '0x0/0x2')), { nil: null }),
      comment: fc.option(fc.constantFrom('x', 'two words', 'ns1/svc1 -> 10.0.1.1:80'), { nil: null }),
      nth: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      ctstate: fc.option(fc.tuple(neg, fc.constantFrom('NEW', 'DNAT', 'RELATED,ESTABLISHED')), { nil: null }),
    })
    .map((m) => {
      const a: string[] = [];
      if (m.comment !== null) a.push('-m', 'comment', '--comment', m.comment);
      if (m.proto !== null) a.push('-p', m.proto);
      if (m.dst) a.push(...m.dst[0], '-d', m.dst[1]);
      if (m.src) a.push(...m.src[0], '-s', m.src[1]);
      if (m.out) a.push(...m.out[0], '-o', m.out[1]);
      if (m.proto !== null && m.port) a.push(...m.port[0], m.port[1], String(m.port[2]));
      if (m.proto !== null && m.multiport)
        a.push('-m', 'multiport', ...m.multiport[0], '--dports', m.multiport[1].join(','));
      if (m.owner) a.push('-m', 'owner', ...m.owner[0], m.owner[1], String(m.owner[2]));
      if (m.mark) a.push('-m', 'mark', ...m.mark[0], '--mark', m.mark[1]);
      if (m.ctstate) a.push('-m', 'conntrack', ...m.ctstate[0], '--ctstate', m.ctstate[1]);
      if (m.nth !== null && table === 'filter')
        a.push('-m', 'statistic', '--mode', 'nth', '--every', String(m.nth + 1));
      return a;
    });
}

function targetArb(table: 'nat' | 'filter', laterChains: readonly string[], hasProto: boolean): fc.Arbitrary<string[]> {
  const common: fc.Arbitrary<string[]>[] = [
    fc.constant(['-j', 'ACCEPT']),
    fc.constant(['-j', 'RETURN']),
    fc.constant([]),
    fc.constant(['-j', 'MARK', '--set-xmark', '0x1/0x1']),
  ];
  if (table === 'filter') common.push(fc.constant(['-j', 'DROP']), fc.constant(['-j', 'REJECT']));
  if (table === 'nat') {
    common.push(fc.constant(['-j', 'REDIRECT']));
    if (hasProto)
      common.push(
        fc.constant(['-j', 'REDIRECT', '--to-ports', '15001']),
        fc.constant(['-j', 'DNAT', '--to-destination', '10.0.1.1:80']),
      );
  }
  if (laterChains.length > 0) {
    common.push(fc.tuple(fc.constantFrom('-j', '-g'), fc.constantFrom(...laterChains)).map(([j, c]) => [j, c]));
  }
  return fc.oneof(...common);
}

function ruleArb(table: 'nat' | 'filter', laterChains: readonly string[]): fc.Arbitrary<string[]> {
  return matchesArb(table).chain((m) => targetArb(table, laterChains, m.includes('-p')).map((t) => [...m, ...t]));
}

const quote = (t: string): string => (/[\s"\\]/.test(t) || t === '' ? `"${t.replace(/[\\"]/g, (c) => `\\${c}`)}"` : t);

/** One table reached from OUTPUT only: the built-in OUTPUT chain and user chains that jump only forward. */
function tableArb(table: 'nat' | 'filter'): fc.Arbitrary<string> {
  return fc.integer({ min: 0, max: 3 }).chain((k) => {
    const users = Array.from({ length: k }, (_, i) => `${table.toUpperCase()}_U${i}`);
    const chains = ['OUTPUT', ...users];
    return (
      fc
        // Chain i may jump only to user chains after it (users.slice(i)), so the graph is acyclic.
        .tuple(...chains.map((_, i) => fc.array(ruleArb(table, users.slice(i)), { maxLength: 5 })))
        .map((perChain) => {
          const lines = [`*${table}`, ...users.map((u) => `:${u} - [0:0]`)];
          perChain.forEach((rules, i) => {
            for (const r of rules) lines.push(`-A ${chains[i]} ${r.map(quote).join(' ')}`.trimEnd());
          });
          lines.push('COMMIT');
          return lines.join('\n');
        })
    );
  });
}

/** A random nat + filter ruleset for a pod's OUTPUT path, acyclic by construction. */
export const rulesetArb: fc.Arbitrary<ArbRuleset> = fc
  .tuple(tableArb('nat'), tableArb('filter'))
  .map(([nat, filter]) => ({ text: `${nat}\n${filter}\n` }));

/** A connection a process in pod 10.244.1.5 opens. */
export interface ArbConnection {
  readonly protocol: number;
  readonly dst: string;
  readonly dport: number;
  readonly sport: number;
  readonly uid: number;
  readonly gid: number;
}

export const connectionArb: fc.Arbitrary<ArbConnection> = fc.record({
  protocol: fc.constantFrom(6, 17),
  dst: fc.constantFrom('10.96.0.10', '127.0.0.1', '10.244.1.5', '10.0.1.1', '8.8.8.8'),
  dport: fc.constantFrom(...PORTS, 443),
  sport: fc.constantFrom(40000, 53, 15001, 41000),
  uid: fc.constantFrom(0, 1337, 1000),
  gid: fc.constantFrom(0, 1337, 1000),
});

/** A chain graph of `n` user chains with arbitrary jumps (cycles allowed), as nat restore text. */
export const chainGraphArb: fc.Arbitrary<{ text: string; edges: [number, number][]; n: number }> = fc
  .integer({ min: 1, max: 6 })
  .chain((n) =>
    fc
      .uniqueArray(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), {
        maxLength: 10,
        selector: ([a, b]) => `${a}-${b}`,
      })
      .map((edges) => {
        const lines = ['*filter', ...Array.from({ length: n }, (_, i) => `:G${i} - [0:0]`), '-A OUTPUT -j G0'];
        for (const [a, b] of edges) lines.push(`-A G${a} -p tcp --dport ${80 + b} -j G${b}`);
        lines.push('COMMIT');
        return { text: `${lines.join('\n')}\n`, edges: edges as [number, number][], n };
      }),
  );
