/**
 * The `iptables-restore` input format — which is also what `iptables-save` prints — read into a list of
 * per-table commands (iptables/iptables-restore.c `ip46tables_restore_main`): `*table`, chain lines
 * `:CHAIN POLICY [packets:bytes]`, `-N`, `-A`, `-I CHAIN [N]`, `-D`, `-F`, `-X`, `-P`, `COMMIT`, `#`
 * comments, and `[packets:bytes]` counter prefixes from `iptables-save -c`. Parsing checks every rule
 * (unknown matches, targets and options are errors naming the line); applying the commands to a ruleset
 * is `applyRestore` in ruleset.ts.
 */
import { ConfigError, type SourceLocation } from '../errors.js';
import type { Counters, Rule, TableName } from './model.js';
import { TABLE_NAMES } from './model.js';
import { parseRuleArgs } from './ruleParser.js';
import { quoteRestoreArg, splitRestoreLine } from './tokens.js';

/** One command of a restore payload, with its 1-based line. */
export type RestoreCommand =
  | {
      readonly op: 'chain';
      readonly chain: string;
      readonly policy: 'ACCEPT' | 'DROP' | '-';
      readonly counters?: Counters;
      readonly line: number;
    }
  | { readonly op: 'new'; readonly chain: string; readonly line: number }
  | { readonly op: 'append'; readonly chain: string; readonly rule: Rule; readonly line: number }
  | {
      readonly op: 'insert';
      readonly chain: string;
      readonly position: number;
      readonly explicitPosition: boolean;
      readonly rule: Rule;
      readonly line: number;
    }
  | {
      readonly op: 'delete';
      readonly chain: string;
      readonly position?: number;
      readonly rule?: Rule;
      readonly line: number;
    }
  | { readonly op: 'flush' | 'delete-chain'; readonly chain?: string; readonly line: number }
  | { readonly op: 'policy'; readonly chain: string; readonly policy: 'ACCEPT' | 'DROP'; readonly line: number };

/** The commands for one table, between `*table` and `COMMIT`. */
export interface RestoreTable {
  readonly name: TableName;
  /** How the table line was written (`*nat` or Istio's `* nat`), for printing back. */
  readonly header: string;
  readonly line: number;
  readonly commands: readonly RestoreCommand[];
}

/** A parsed `iptables-restore` input. */
export interface RestorePayload {
  readonly file: string;
  readonly family: 4 | 6;
  readonly tables: readonly RestoreTable[];
}

/** Options for {@link parseRestore}. */
export interface ParseRestoreOptions {
  /** File name for errors and rule sources. @defaultValue `'<rules>'` */
  readonly file?: string;
  /** 4 (`iptables-restore`) or 6 (`ip6tables-restore`). @defaultValue 4 */
  readonly family?: 4 | 6;
}

const CHAIN_NAME = /^[^\s!-][^\s]{0,28}$/; // XT_EXTENSION_MAXNAMELEN-1 = 28 characters, not starting with - or !

/** Parses `iptables-restore`/`iptables-save` text. Throws ConfigError naming file:line on bad input. */
export function parseRestore(text: string, options: ParseRestoreOptions = {}): RestorePayload {
  const file = options.file ?? '<rules>';
  const family = options.family ?? 4;
  const tables: RestoreTable[] = [];
  let current: { name: TableName; header: string; line: number; commands: RestoreCommand[] } | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = n + 1;
    const where: SourceLocation = { file, line };
    const raw = (lines[n] as string).replace(/\r$/, '');
    const trimmed = raw.trim();
    const err: (msg: string) => never = (msg) => {
      throw new ConfigError(msg, where, 'iptables-restore');
    };
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed === 'COMMIT') {
      if (current === undefined) err('COMMIT without a table (expected "*table" first)');
      tables.push(current);
      current = undefined;
      continue;
    }
    if (trimmed.startsWith('*')) {
      if (current !== undefined) err(`table "${current.name}" was not committed before this table (expected COMMIT)`);
      const name = trimmed.slice(1).trim();
      if (!(TABLE_NAMES as readonly string[]).includes(name)) {
        err(`unknown table "${name}" (meshsim models ${TABLE_NAMES.join(', ')})`);
      }
      current = { name: name as TableName, header: trimmed, line, commands: [] };
      continue;
    }
    if (current === undefined) err(`"${trimmed.slice(0, 40)}" outside a table (expected "*table")`);
    if (trimmed.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?$/.exec(trimmed);
      if (m === null) err('bad chain line (expected ":CHAIN POLICY [packets:bytes]")');
      const chain = m[1] as string;
      if (!CHAIN_NAME.test(chain)) err(`invalid chain name "${chain}"`);
      const policy = m[2] as 'ACCEPT' | 'DROP' | '-';
      if (policy !== 'ACCEPT' && policy !== 'DROP' && policy !== '-')
        err(`bad policy "${policy}" for chain ${chain} (ACCEPT, DROP or -)`);
      const counters = m[3] !== undefined ? { packets: m[3], bytes: m[4] as string } : undefined;
      current.commands.push({ op: 'chain', chain, policy, line, ...(counters ? { counters } : {}) });
      continue;
    }
    let body = trimmed;
    let counters: Counters | undefined;
    const cm = /^\[(\d+):(\d+)\]\s+/.exec(body);
    if (cm !== null) {
      counters = { packets: cm[1] as string, bytes: cm[2] as string };
      body = body.slice(cm[0].length);
    }
    const args = splitRestoreLine(body, where);
    const cmd = args[0] as string;
    const chain = args[1];
    const need = (): string => {
      if (chain === undefined || chain.startsWith('-')) err(`${cmd} needs a chain name`);
      return chain as string;
    };
    // The rule's text as written: everything after the command, its chain (and insert position).
    const textAfter = (skip: number): string => restAfterTokens(body, skip);
    switch (cmd) {
      case '-A':
      case '--append': {
        const c = need();
        const rule = parseRuleArgs(args.slice(2), {
          where,
          family,
          text: textAfter(2),
          ...(counters ? { counters } : {}),
        });
        current.commands.push({ op: 'append', chain: c, rule, line });
        break;
      }
      case '-I':
      case '--insert': {
        const c = need();
        const explicitPosition = args[2] !== undefined && /^\d+$/.test(args[2]);
        const position = explicitPosition ? Number(args[2]) : 1;
        if (position < 1) err('insert position must be at least 1');
        const skip = explicitPosition ? 3 : 2;
        const rule = parseRuleArgs(args.slice(skip), {
          where,
          family,
          text: textAfter(skip),
          ...(counters ? { counters } : {}),
        });
        current.commands.push({ op: 'insert', chain: c, position, explicitPosition, rule, line });
        break;
      }
      case '-D':
      case '--delete': {
        const c = need();
        if (args.length === 3 && /^\d+$/.test(args[2] as string)) {
          current.commands.push({ op: 'delete', chain: c, position: Number(args[2]), line });
        } else {
          current.commands.push({
            op: 'delete',
            chain: c,
            rule: parseRuleArgs(args.slice(2), { where, family, text: textAfter(2) }),
            line,
          });
        }
        break;
      }
      case '-N':
      case '--new-chain': {
        const c = need();
        if (!CHAIN_NAME.test(c)) err(`invalid chain name "${c}"`);
        if (args.length > 2) err(`unexpected arguments after -N ${c}`);
        current.commands.push({ op: 'new', chain: c, line });
        break;
      }
      case '-F':
      case '--flush':
      case '-X':
      case '--delete-chain': {
        if (args.length > 2) err(`unexpected arguments after ${cmd}`);
        const op = cmd === '-F' || cmd === '--flush' ? 'flush' : 'delete-chain';
        current.commands.push({ op, line, ...(chain !== undefined ? { chain } : {}) });
        break;
      }
      case '-P':
      case '--policy': {
        const c = need();
        const p = args[2];
        if ((p !== 'ACCEPT' && p !== 'DROP') || args.length > 3)
          return err('-P needs a chain and a policy (ACCEPT or DROP)');
        current.commands.push({ op: 'policy', chain: c, policy: p, line });
        break;
      }
      case '-t':
      case '--table':
        err('the -t option cannot be used in iptables-restore input (use "*table" lines)');
        break;
      default:
        err(`unknown command "${cmd}" (expected -A, -I, -D, -N, -F, -X, -P, a chain line or COMMIT)`);
    }
  }
  if (current !== undefined) {
    throw new ConfigError(
      `COMMIT expected for table "${current.name}" at end of input`,
      { file, line: lines.length },
      'iptables-restore',
    );
  }
  return { file, family, tables };
}

// The text of `body` after its first `skip` blank-separated tokens (none of which are quoted).
function restAfterTokens(body: string, skip: number): string {
  let rest = body;
  for (let k = 0; k < skip; k++) rest = rest.replace(/^\s*\S+/, '');
  return rest.trim();
}

/** Prints a payload back as `iptables-restore` input: the commands as written, one per line. */
export function formatRestore(payload: RestorePayload): string {
  const out: string[] = [];
  for (const t of payload.tables) {
    out.push(t.header);
    for (const c of t.commands) out.push(formatCommand(c));
    out.push('COMMIT');
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

const withCounters = (rule: Rule, s: string): string =>
  rule.counters ? `[${rule.counters.packets}:${rule.counters.bytes}] ${s}` : s;
const withText = (s: string, text: string): string => (text === '' ? s : `${s} ${text}`);

/** One command as a restore line. */
export function formatCommand(c: RestoreCommand): string {
  switch (c.op) {
    case 'chain':
      return `:${c.chain} ${c.policy}${c.counters ? ` [${c.counters.packets}:${c.counters.bytes}]` : ''}`;
    case 'new':
      return `-N ${c.chain}`;
    case 'append':
      return withCounters(c.rule, withText(`-A ${c.chain}`, c.rule.text));
    case 'insert':
      return withCounters(c.rule, withText(`-I ${c.chain}${c.explicitPosition ? ` ${c.position}` : ''}`, c.rule.text));
    case 'delete':
      return c.rule ? withText(`-D ${c.chain}`, c.rule.text) : `-D ${c.chain} ${c.position}`;
    case 'flush':
      return c.chain === undefined ? '-F' : `-F ${c.chain}`;
    case 'delete-chain':
      return c.chain === undefined ? '-X' : `-X ${c.chain}`;
    case 'policy':
      return `-P ${c.chain} ${c.policy}`;
  }
}

/** Builds restore text from argument lists (as istio-iptables and kube-proxy write it). */
export function restoreLine(args: readonly string[]): string {
  return args.map(quoteRestoreArg).join(' ');
}
