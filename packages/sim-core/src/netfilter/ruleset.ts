/**
 * Applying restore payloads to a ruleset, with `iptables-restore`'s semantics (iptables-restore.c,
 * libiptc): each `*table` section is flushed first unless `--noflush`; a chain line creates a user chain,
 * or flushes it if it exists and `--noflush` is on (kube-proxy relies on this); `-A`/`-I` need an
 * existing chain and an existing jump target; `-X` refuses a chain that is referenced or not empty.
 */
import { ConfigError, type SourceLocation } from '../errors.js';
import {
  BUILTIN_CHAINS,
  isBuiltinChain,
  type Chain,
  type Rule,
  type Ruleset,
  type Table,
  type TableName,
} from './model.js';
import type { RestorePayload } from './restore.js';
import { formatRuleSave } from './save.js';

/** Options for {@link applyRestore}. */
export interface ApplyRestoreOptions {
  /** `iptables-restore --noflush`: keep what the tables already hold. @defaultValue false */
  readonly noflush?: boolean;
}

interface MutableChain {
  name: string;
  builtin: boolean;
  policy?: 'ACCEPT' | 'DROP';
  counters?: Chain['counters'];
  rules: Rule[];
}

function thaw(table: Table): MutableChain[] {
  return table.chains.map((c) => ({ ...c, rules: [...c.rules] }));
}

function freshTable(name: TableName): MutableChain[] {
  return BUILTIN_CHAINS[name].map((hook) => ({ name: hook, builtin: true, policy: 'ACCEPT' as const, rules: [] }));
}

function freezeTable(name: TableName, chains: MutableChain[]): Table {
  return Object.freeze({
    name,
    chains: Object.freeze(
      chains.map((c) =>
        Object.freeze({
          name: c.name,
          builtin: c.builtin,
          ...(c.policy ? { policy: c.policy } : {}),
          ...(c.counters ? { counters: c.counters } : {}),
          rules: Object.freeze([...c.rules]),
        }),
      ),
    ),
  });
}

const targetChain = (r: Rule): string | undefined =>
  r.target.kind === 'jump' || r.target.kind === 'goto' ? r.target.chain : undefined;

/**
 * Applies `payload` to `base` (by default an empty ruleset of the payload's family) and returns the new
 * ruleset; `base` is not modified. Several payloads applied in turn with `noflush` behave like several
 * `iptables-restore --noflush` runs. Throws ConfigError naming the offending line.
 */
export function applyRestore(
  base: Ruleset | undefined,
  payload: RestorePayload,
  options: ApplyRestoreOptions = {},
): Ruleset {
  const family = base?.family ?? payload.family;
  if (payload.family !== family) {
    throw new ConfigError(
      `IPv${payload.family} rules cannot be loaded into an IPv${family} ruleset`,
      { file: payload.file },
      'iptables-restore',
    );
  }
  const tables = new Map<TableName, MutableChain[]>();
  const order: TableName[] = [];
  for (const t of base?.tables ?? []) {
    tables.set(t.name, thaw(t));
    order.push(t.name);
  }
  for (const section of payload.tables) {
    let chains = tables.get(section.name);
    if (chains === undefined) {
      chains = freshTable(section.name);
      order.push(section.name);
    } else if (!options.noflush) {
      chains = chains.filter((c) => c.builtin).map((c) => ({ ...c, rules: [] }));
    } else {
      chains = chains.map((c) => ({ ...c, rules: [...c.rules] }));
    }
    const find = (name: string) => chains!.find((c) => c.name === name);
    for (const cmd of section.commands) {
      const where: SourceLocation = { file: payload.file, line: cmd.line };
      const fail: (msg: string) => never = (msg) => {
        throw new ConfigError(msg, where, 'iptables-restore');
      };
      const mustFind = (name: string): MutableChain =>
        find(name) ??
        fail(
          `no chain "${name}" in table ${section.name} (create it with -N ${name} or a ":${name} - [0:0]" line first)`,
        );
      // iptables do_command4: -o makes no sense for incoming packets, -i none for outgoing ones.
      const checkInterfaces = (chain: string, rule: Rule): void => {
        if ((chain === 'PREROUTING' || chain === 'INPUT') && rule.outInterface) fail(`can't use -o with ${chain}`);
        if ((chain === 'OUTPUT' || chain === 'POSTROUTING') && rule.inInterface) fail(`can't use -i with ${chain}`);
      };
      const checkTarget = (rule: Rule): void => {
        const t = targetChain(rule);
        if (t === undefined) return;
        if (isBuiltinChain(section.name, t) || find(t) === undefined) {
          fail(
            `couldn't load target "${t}": no user chain of that name in table ${section.name} and no target extension of that name`,
          );
        }
      };
      // [0:0] is what every fresh chain shows; keep only counters that say something.
      const counters =
        cmd.op === 'chain' && cmd.counters && (cmd.counters.packets !== '0' || cmd.counters.bytes !== '0')
          ? cmd.counters
          : undefined;
      switch (cmd.op) {
        case 'chain': {
          const existing = find(cmd.chain);
          if (isBuiltinChain(section.name, cmd.chain)) {
            if (cmd.policy === '-') return fail(`built-in chain ${cmd.chain} needs a policy (ACCEPT or DROP)`);
            const c = existing as MutableChain;
            c.policy = cmd.policy;
            if (counters) c.counters = counters;
          } else {
            if (cmd.policy !== '-') fail(`user chain ${cmd.chain} cannot have a policy (use "-")`);
            if (existing)
              existing.rules = []; // flushed, as iptables-restore --noflush does for an existing chain
            else
              chains.push({
                name: cmd.chain,
                builtin: false,
                rules: [],
                ...(cmd.counters ? { counters: cmd.counters } : {}),
              });
          }
          break;
        }
        case 'new':
          if (find(cmd.chain)) fail(`chain "${cmd.chain}" already exists`);
          chains.push({ name: cmd.chain, builtin: false, rules: [] });
          break;
        case 'append':
          checkInterfaces(cmd.chain, cmd.rule);
          checkTarget(cmd.rule);
          mustFind(cmd.chain).rules.push(cmd.rule);
          break;
        case 'insert': {
          checkInterfaces(cmd.chain, cmd.rule);
          checkTarget(cmd.rule);
          const c = mustFind(cmd.chain);
          if (cmd.position > c.rules.length + 1)
            fail(`index of insertion too big: ${cmd.position} (chain ${cmd.chain} has ${c.rules.length} rules)`);
          c.rules.splice(cmd.position - 1, 0, cmd.rule);
          break;
        }
        case 'delete': {
          const c = mustFind(cmd.chain);
          let idx = cmd.position !== undefined ? cmd.position - 1 : -1;
          if (cmd.rule) {
            const want = formatRuleSave(cmd.rule, family);
            idx = c.rules.findIndex((r) => formatRuleSave(r, family) === want);
          }
          if (idx < 0 || idx >= c.rules.length) fail(`bad rule (does a matching rule exist in chain ${cmd.chain}?)`);
          c.rules.splice(idx, 1);
          break;
        }
        case 'flush':
          for (const c of cmd.chain === undefined ? chains : [mustFind(cmd.chain)]) c.rules = [];
          break;
        case 'delete-chain': {
          const victims: MutableChain[] =
            cmd.chain === undefined ? chains.filter((c) => !c.builtin) : [mustFind(cmd.chain)];
          for (const v of victims) {
            if (v.builtin) fail(`cannot delete built-in chain ${v.name}`);
            if (v.rules.length > 0 && cmd.chain !== undefined) fail(`chain ${v.name} is not empty (flush it first)`);
          }
          const names = new Set<string>(victims.map((v) => v.name));
          for (const c of chains) {
            if (names.has(c.name)) continue;
            const ref = c.rules.find((r) => names.has(targetChain(r) ?? ''));
            if (ref) fail(`chain ${targetChain(ref)} is still referenced from ${c.name} (too many links)`);
          }
          chains = chains.filter((c) => !names.has(c.name));
          break;
        }
        case 'policy': {
          if (!isBuiltinChain(section.name, cmd.chain))
            fail(`-P: ${cmd.chain} is not a built-in chain of table ${section.name}`);
          mustFind(cmd.chain).policy = cmd.policy;
          break;
        }
      }
    }
    tables.set(section.name, chains);
  }
  return Object.freeze({
    family,
    tables: Object.freeze(order.map((name) => freezeTable(name, tables.get(name) as MutableChain[]))),
  });
}

/** Applies several payloads in order, each as `iptables-restore --noflush` (the CLI's `--rules A --rules B`). */
export function loadRulesets(payloads: readonly RestorePayload[], family: 4 | 6 = 4): Ruleset {
  let rs: Ruleset = { family, tables: [] };
  for (const p of payloads) rs = applyRestore(rs, p, { noflush: true });
  return rs;
}
