/**
 * Loading a ruleset "into the kernel": the checks `iptables-restore`'s commit triggers (x_tables
 * `translate_table`/`mark_source_chains`, nf_tables `nf_tables_check_loops`) and the compiled form the
 * traversal runs. Refused, as the kernel refuses them:
 * - a loop in the chain graph (ELOOP) — any loop, as iptables-nft (the default backend) checks every
 *   jump, reachable from a hook or not;
 * - a match or target used where its hooks or table do not allow it (`-m owner` reached from PREROUTING,
 *   REDIRECT outside nat, TPROXY outside mangle PREROUTING, CT outside raw);
 * - an owner name that does not resolve.
 */
import { ConfigError, type SourceLocation } from '../errors.js';
import { cidrContains, formatCidr, formatIp } from './addr.js';
import type { LoadEnvironment, MatchFn, TargetModule } from './extension.js';
import { BUILTIN_CHAINS, type Hook, type Rule, type Ruleset, type TableName, type Target } from './model.js';
import { protocolName, type PacketState } from './packet.js';
import { moduleOf, targetModuleOf } from './registry.js';
import { formatRuleSave } from './save.js';

/** One test of a rule (an ip-header field or an extension match), with how to explain a non-match. */
export interface Component {
  readonly label: string;
  readonly test: MatchFn;
  readonly observe: (p: PacketState) => string;
}

/** What a compiled rule does when it matches. */
export type CompiledAction =
  | { readonly kind: 'ACCEPT' | 'DROP' | 'RETURN' | 'none' }
  | { readonly kind: 'jump' | 'goto'; readonly chain: number; readonly name: string }
  | { readonly kind: 'ext'; readonly module: TargetModule; readonly target: Target };

/** A rule ready to run. */
export interface CompiledRule {
  /** 1-based position in its chain (`iptables -L --line-numbers`). */
  readonly number: number;
  readonly rule: Rule;
  readonly components: readonly Component[];
  readonly action: CompiledAction;
}

/** A chain ready to run. */
export interface CompiledChain {
  readonly name: string;
  readonly builtin: boolean;
  readonly policy: 'ACCEPT' | 'DROP';
  readonly rules: readonly CompiledRule[];
}

/** A table ready to run: its chains and the chain each hook enters. */
export interface CompiledTable {
  readonly name: TableName;
  readonly chains: readonly CompiledChain[];
  readonly entry: Readonly<Partial<Record<Hook, number>>>;
}

/** A ruleset accepted by the (simulated) kernel. Holds the state of stateful matches (`statistic nth`). */
export interface CompiledRuleset {
  readonly family: 4 | 6;
  readonly ruleset: Ruleset;
  readonly tables: Readonly<Partial<Record<TableName, CompiledTable>>>;
}

/** The users and groups of Istio's proxyv2 image (`useradd -m --uid 1337 istio-proxy`) and root. */
export const DEFAULT_LOAD_ENVIRONMENT: Omit<LoadEnvironment, 'family'> = {
  users: { root: 0, 'istio-proxy': 1337 },
  groups: { root: 0, 'istio-proxy': 1337 },
};

const where = (r: Rule): SourceLocation => (r.from ? { file: r.from.file, line: r.from.line } : {});

// Kernel ifname_compare: exact name, or a prefix when the rule's name ends with '+'.
function ifaceTest(name: string): (actual: string | null) => boolean {
  if (name.endsWith('+')) {
    const prefix = name.slice(0, -1);
    return (actual) => (actual ?? '').startsWith(prefix);
  }
  return (actual) => actual === name;
}

function components(rule: Rule, env: LoadEnvironment): Component[] {
  const out: Component[] = [];
  const neg = (inv: boolean) => (inv ? '! ' : '');
  // ip_packet_match order: addresses, interfaces, protocol; then the extension matches in order.
  if (rule.source) {
    const { cidr, invert } = rule.source;
    out.push({
      label: `${neg(invert)}-s ${formatCidr(cidr)}`,
      test: (p) => cidrContains(cidr, p.src) !== invert,
      observe: (p) => `source ${formatIp(p.src)}`,
    });
  }
  if (rule.destination) {
    const { cidr, invert } = rule.destination;
    out.push({
      label: `${neg(invert)}-d ${formatCidr(cidr)}`,
      test: (p) => cidrContains(cidr, p.dst) !== invert,
      observe: (p) => `destination ${formatIp(p.dst)}`,
    });
  }
  if (rule.inInterface) {
    const { name, invert } = rule.inInterface;
    const t = ifaceTest(name);
    out.push({
      label: `${neg(invert)}-i ${name}`,
      test: (p) => t(p.inIface) !== invert,
      observe: (p) => (p.inIface ? `in ${p.inIface}` : 'no incoming interface'),
    });
  }
  if (rule.outInterface) {
    const { name, invert } = rule.outInterface;
    const t = ifaceTest(name);
    out.push({
      label: `${neg(invert)}-o ${name}`,
      test: (p) => t(p.outIface) !== invert,
      observe: (p) => (p.outIface ? `out ${p.outIface}` : 'no outgoing interface'),
    });
  }
  if (rule.protocol && rule.protocol.number !== 0) {
    const { number, invert, name } = rule.protocol;
    out.push({
      label: `${neg(invert)}-p ${name}`,
      test: (p) => (p.proto === number) !== invert,
      observe: (p) => `protocol ${protocolName(p.proto)}`,
    });
  }
  for (const m of rule.matches) {
    const mod = moduleOf(m);
    if (m.module === 'comment') continue;
    out.push({
      label: mod.save(m as never).join(' '),
      test: mod.compile(m as never, env, where(rule)),
      observe: (p) => mod.observe(m as never, p),
    });
  }
  return out;
}

/**
 * Checks and compiles `ruleset`. `env` supplies user and group names for `-m owner` (by default those of
 * Istio's proxy image). Throws ConfigError naming the offending rule.
 */
export function compileRuleset(ruleset: Ruleset, env: Partial<Omit<LoadEnvironment, 'family'>> = {}): CompiledRuleset {
  const loadEnv: LoadEnvironment = {
    family: ruleset.family,
    users: env.users ?? DEFAULT_LOAD_ENVIRONMENT.users,
    groups: env.groups ?? DEFAULT_LOAD_ENVIRONMENT.groups,
  };
  const tables: Partial<Record<TableName, CompiledTable>> = {};
  for (const table of ruleset.tables) {
    const index = new Map(table.chains.map((c, i) => [c.name, i]));
    const edges = table.chains.map((c) =>
      c.rules.flatMap((r) =>
        r.target.kind === 'jump' || r.target.kind === 'goto'
          ? [{ to: index.get(r.target.chain) as number, rule: r }]
          : [],
      ),
    );
    checkLoops(
      table.name,
      table.chains.map((c) => c.name),
      edges,
    );
    // Hooks from which each chain is reachable (mark_source_chains' comefrom).
    const hooks = table.chains.map(() => new Set<Hook>());
    for (const hook of BUILTIN_CHAINS[table.name]) {
      const stack = [index.get(hook) as number];
      while (stack.length > 0) {
        const c = stack.pop() as number;
        if (hooks[c]!.has(hook)) continue;
        hooks[c]!.add(hook);
        for (const e of edges[c]!) stack.push(e.to);
      }
    }
    const chains = table.chains.map((chain, ci) => {
      const reach = [...(hooks[ci] as Set<Hook>)];
      const rules = chain.rules.map((rule, ri): CompiledRule => {
        checkPlacement(rule, table.name, chain.name, reach);
        return { number: ri + 1, rule, components: components(rule, loadEnv), action: actionOf(rule.target, index) };
      });
      return { name: chain.name, builtin: chain.builtin, policy: chain.policy ?? 'ACCEPT', rules };
    });
    const entry: Partial<Record<Hook, number>> = {};
    for (const hook of BUILTIN_CHAINS[table.name]) entry[hook] = index.get(hook) as number;
    tables[table.name] = { name: table.name, chains, entry };
  }
  return { family: ruleset.family, ruleset, tables };
}

function actionOf(t: Target, index: Map<string, number>): CompiledAction {
  switch (t.kind) {
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
    case 'none':
      return { kind: t.kind };
    case 'jump':
    case 'goto':
      return { kind: t.kind, chain: index.get(t.chain) as number, name: t.chain };
    default:
      return { kind: 'ext', module: targetModuleOf(t) as TargetModule, target: t };
  }
}

function checkPlacement(rule: Rule, table: TableName, chain: string, reach: readonly Hook[]): void {
  const fail = (msg: string): never => {
    throw new ConfigError(`-A ${chain} ${formatRuleSave(rule)}: ${msg}`, where(rule), 'iptables');
  };
  const outside = (allowed: readonly Hook[] | undefined) => (allowed ? reach.filter((h) => !allowed.includes(h)) : []);
  for (const m of rule.matches) {
    const mod = moduleOf(m);
    const bad = outside(mod.hooks);
    if (bad.length > 0) {
      fail(
        `-m ${mod.name} is only valid in ${mod.hooks!.join('/')}, but chain ${chain} is reached from ${bad.join(', ')} (the kernel refuses it)`,
      );
    }
  }
  const tmod = targetModuleOf(rule.target);
  if (tmod === undefined) return;
  if (tmod.table !== undefined && tmod.table !== table)
    fail(`-j ${tmod.name} is only valid in the ${tmod.table} table`);
  const bad = outside(tmod.hooks);
  if (bad.length > 0) {
    fail(
      `-j ${tmod.name} is only valid in ${tmod.hooks!.join('/')}, but chain ${chain} is reached from ${bad.join(', ')} (the kernel refuses it)`,
    );
  }
}

function checkLoops(table: TableName, names: readonly string[], edges: readonly { to: number; rule: Rule }[][]): void {
  const state = names.map(() => 0); // 0 unvisited, 1 on the DFS path, 2 done
  const path: number[] = [];
  const visit = (c: number): void => {
    state[c] = 1;
    path.push(c);
    for (const e of edges[c] as { to: number; rule: Rule }[]) {
      if (state[e.to] === 1) {
        const cycle = [...path.slice(path.indexOf(e.to)), e.to].map((i) => names[i]).join(' → ');
        throw new ConfigError(
          `chain loop in table ${table}: ${cycle} (the kernel refuses a ruleset whose jumps form a loop: ELOOP, "Too many levels of links")`,
          where(e.rule),
          'iptables',
        );
      }
      if (state[e.to] === 0) visit(e.to);
    }
    path.pop();
    state[c] = 2;
  };
  for (let c = 0; c < names.length; c++) if (state[c] === 0) visit(c);
}
