/**
 * One table at one hook, as the kernel's `ipt_do_table` runs it: rules in order; a jump pushes a return
 * point and enters the chain, a goto enters it without one; RETURN (or the end of a user chain) pops back,
 * and with nothing to pop the built-in chain's policy decides; ACCEPT and DROP end the table; extension
 * targets either continue (MARK, CONNMARK, CT) or decide (NAT targets and TPROXY accept, REJECT drops).
 */
import { InvariantError } from '../errors.js';
import type { CompiledChain, CompiledRule, CompiledTable } from './compile.js';
import type { TargetContext } from './extension.js';
import type { Hook } from './model.js';
import type { PacketState } from './packet.js';

/** One step of a trace: a rule examined (matched or not), a chain's end, or a policy applied. */
export interface Hop {
  readonly table: string;
  readonly chain: string;
  /** 1-based rule number; null for a chain's end or policy. */
  readonly rule: number | null;
  /** The rule as written (`-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN`), or `policy ACCEPT`. */
  readonly text: string;
  readonly matched: boolean;
  /** What the matched rule did (`jump ISTIO_OUTPUT`, `RETURN`, `REDIRECT to 127.0.0.1:15001`); null if not matched. */
  readonly verdict: string | null;
  /** For a rule that did not match: the first failing test and what the packet had (`-o lo: out eth0`). */
  readonly why?: string;
}

/** The table's verdict for the packet. */
export type TableVerdict = 'ACCEPT' | 'DROP';

// The kernel's jump stack is as deep as the number of chains; anything longer is a meshsim bug.
const MAX_STEPS = 1_000_000;

function matchedHop(hops: Hop[], table: CompiledTable, chain: CompiledChain, r: CompiledRule, verdict: string): void {
  hops.push({
    table: table.name,
    chain: chain.name,
    rule: r.number,
    text: ruleLine(chain.name, r),
    matched: true,
    verdict,
  });
}

function policyOf(table: CompiledTable, base: CompiledChain, hops: Hop[] | null): TableVerdict {
  if (hops)
    hops.push({
      table: table.name,
      chain: base.name,
      rule: null,
      text: `policy ${base.policy}`,
      matched: true,
      verdict: base.policy,
    });
  return base.policy;
}

const ruleLine = (chain: string, r: CompiledRule): string =>
  r.rule.text === '' ? `-A ${chain}` : `-A ${chain} ${r.rule.text}`;

function evaluate(rule: CompiledRule, p: PacketState): number {
  const cs = rule.components;
  for (let i = 0; i < cs.length; i++) if (!(cs[i] as { test: (p: PacketState) => boolean }).test(p)) return i;
  return -1;
}

/**
 * Runs `table` for the packet at `hook`. When `hops` is given, every examined rule is appended to it.
 * Mutates `p` (marks, NAT rewrites, conntrack flags) as the targets do.
 */
export function runTable(
  table: CompiledTable,
  hook: Hook,
  p: PacketState,
  ctx: TargetContext,
  hops: Hop[] | null,
): TableVerdict {
  const entry = table.entry[hook];
  if (entry === undefined) throw new InvariantError(`table ${table.name} has no ${hook} chain`);
  const base = table.chains[entry] as CompiledChain;
  // Plain arrays for the jump stack; no closures here — this loop is the simulation's hot path.
  const stackChain: number[] = [];
  const stackPos: number[] = [];
  let chainIdx = entry;
  let pos = 0;
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const chain = table.chains[chainIdx] as CompiledChain;
    if (pos >= chain.rules.length) {
      if (chain.builtin || stackChain.length === 0) return policyOf(table, base, hops);
      if (hops)
        hops.push({
          table: table.name,
          chain: chain.name,
          rule: null,
          text: `end of chain ${chain.name}`,
          matched: true,
          verdict: 'RETURN',
        });
      chainIdx = stackChain.pop() as number;
      pos = stackPos.pop() as number;
      continue;
    }
    const r = chain.rules[pos] as CompiledRule;
    const failed = evaluate(r, p);
    if (failed >= 0) {
      if (hops) {
        const c = r.components[failed]!;
        const seen = c.observe(p);
        const why = seen ? `${c.label}: ${seen}` : c.label;
        hops.push({
          table: table.name,
          chain: chain.name,
          rule: r.number,
          text: ruleLine(chain.name, r),
          matched: false,
          verdict: null,
          why,
        });
      }
      pos++;
      continue;
    }
    const a = r.action;
    switch (a.kind) {
      case 'ACCEPT':
      case 'DROP':
        if (hops) matchedHop(hops, table, chain, r, a.kind);
        return a.kind;
      case 'RETURN':
        if (hops) matchedHop(hops, table, chain, r, 'RETURN');
        if (stackChain.length === 0) return policyOf(table, base, hops);
        chainIdx = stackChain.pop() as number;
        pos = stackPos.pop() as number;
        continue;
      case 'jump':
        if (hops) matchedHop(hops, table, chain, r, `jump ${a.name}`);
        stackChain.push(chainIdx);
        stackPos.push(pos + 1);
        chainIdx = a.chain;
        pos = 0;
        continue;
      case 'goto':
        if (hops) matchedHop(hops, table, chain, r, `goto ${a.name}`);
        chainIdx = a.chain;
        pos = 0;
        continue;
      case 'none':
        if (hops) matchedHop(hops, table, chain, r, 'continue (no target)');
        pos++;
        continue;
      case 'ext': {
        const res = a.module.run(a.target, p, ctx);
        if (hops) {
          const what = a.module.describe(a.target, p);
          const verdict =
            res === 'CONTINUE'
              ? `${what}; continue`
              : res === 'DROP' && a.target.kind !== 'REJECT'
                ? `${a.target.kind}: DROP`
                : what;
          matchedHop(hops, table, chain, r, verdict);
        }
        if (res === 'CONTINUE') {
          pos++;
          continue;
        }
        return res;
      }
    }
  }
  throw new InvariantError(`traversal of table ${table.name} did not terminate (a chain loop escaped compile checks)`);
}
