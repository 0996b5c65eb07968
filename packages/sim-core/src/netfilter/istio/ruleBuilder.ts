/**
 * The rule accumulator of istio-iptables (istio/istio tools/istio-iptables/pkg/builder/
 * iptables_builder_impl.go `IptablesRuleBuilder`): rules are collected per address family in call order
 * (appends and inserts alike) and rendered as one `iptables-restore --noflush` payload per family.
 * `buildRestore`: tables in alphabetical order, each `* table` (with Istio's space), `-N` for every
 * non-built-in chain that has rules (in order of first use), then for chains only jumped to, then the
 * rules, then `COMMIT`.
 */

interface BuiltRule {
  readonly chain: string;
  readonly table: string;
  readonly params: readonly string[];
}

/** constants.go `BuiltInChainsAndTargetsMap`: names never created with `-N`. */
const BUILTIN = new Set(['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING', 'ACCEPT', 'RETURN', 'DROP']);

/** The placeholder replaced by the family's address in versioned rules (`constants.IPVersionSpecific`). */
export const IP_VERSION_SPECIFIC = 'PLACEHOLDER_IP_VERSION_SPECIFIC';

/** Collects istio-iptables rules for IPv4 and, when enabled, IPv6. */
export class IstioRuleBuilder {
  private readonly v4: BuiltRule[] = [];
  private readonly v6: BuiltRule[] = [];

  constructor(private readonly enableIPv6: boolean) {}

  appendRuleV4(chain: string, table: string, ...params: string[]): this {
    this.v4.push({ chain, table, params: ['-A', chain, ...params] });
    return this;
  }

  appendRuleV6(chain: string, table: string, ...params: string[]): this {
    if (this.enableIPv6) this.v6.push({ chain, table, params: ['-A', chain, ...params] });
    return this;
  }

  appendRule(chain: string, table: string, ...params: string[]): this {
    return this.appendRuleV4(chain, table, ...params).appendRuleV6(chain, table, ...params);
  }

  insertRuleV4(chain: string, table: string, position: number, ...params: string[]): this {
    this.v4.push({ chain, table, params: ['-I', chain, `${position}`, ...params] });
    return this;
  }

  insertRuleV6(chain: string, table: string, position: number, ...params: string[]): this {
    if (this.enableIPv6) this.v6.push({ chain, table, params: ['-I', chain, `${position}`, ...params] });
    return this;
  }

  insertRule(chain: string, table: string, position: number, ...params: string[]): this {
    return this.insertRuleV4(chain, table, position, ...params).insertRuleV6(chain, table, position, ...params);
  }

  /** `AppendVersionedRule`: the same rule with the family's address in place of the placeholder. */
  appendVersionedRule(ipv4: string, ipv6: string, chain: string, table: string, ...params: string[]): this {
    this.appendRuleV4(chain, table, ...params.map((p) => (p === IP_VERSION_SPECIFIC ? ipv4 : p)));
    return this.appendRuleV6(chain, table, ...params.map((p) => (p === IP_VERSION_SPECIFIC ? ipv6 : p)));
  }

  /** The IPv4 `iptables-restore` payload (`BuildV4Restore`). */
  buildV4Restore(): string {
    return buildRestore(this.v4);
  }

  /** The IPv6 `ip6tables-restore` payload (`BuildV6Restore`); empty when IPv6 is off. */
  buildV6Restore(): string {
    return buildRestore(this.v6);
  }
}

function buildRestore(rules: readonly BuiltRule[]): string {
  const tables = new Map<string, string[]>([
    ['filter', []],
    ['nat', []],
    ['mangle', []],
  ]);
  const lines = (t: string): string[] => {
    let l = tables.get(t);
    if (l === undefined) tables.set(t, (l = []));
    return l;
  };
  const created = new Set<string>();
  for (const r of rules) {
    const key = `${r.chain}:${r.table}`;
    if (created.has(key)) continue;
    created.add(key);
    if (!BUILTIN.has(r.chain)) lines(r.table).push(`-N ${r.chain}`);
  }
  // Chains that are only jumped to still need to exist.
  for (const r of rules) {
    const n = r.params.length;
    if (n < 2 || r.params[n - 2] !== '-j') continue;
    const target = r.params[n - 1] as string;
    const key = `${target}:${r.table}`;
    if (created.has(key)) continue;
    created.add(key);
    if (!BUILTIN.has(target)) lines(r.table).push(`-N ${target}`);
  }
  for (const r of rules) lines(r.table).push(r.params.join(' '));
  let out = '';
  for (const t of [...tables.keys()].sort()) {
    const l = tables.get(t) as string[];
    if (l.length === 0) continue;
    out += `* ${t}\n${l.join('\n')}\nCOMMIT\n`;
  }
  return out;
}
