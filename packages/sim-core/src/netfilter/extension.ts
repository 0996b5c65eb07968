/**
 * The protocol every match (`-m NAME`) and target (`-j NAME`) extension implements, as libxtables'
 * `struct xtables_match`/`xtables_target` pair with the kernel's `struct xt_match`/`xt_target`: option
 * parsing, `iptables-save` printing, where it may be used (table, hooks, protocol) and its semantics.
 */
import { ConfigError, type SourceLocation } from '../errors.js';
import type { IpAddress } from './addr.js';
import type { Hook, Match, PortRange, ProtocolMatch, TableName, Target } from './model.js';
import type { PacketState } from './packet.js';

/** A long option of an extension (`--dport`), with whether it takes an argument and accepts `!`. */
export interface OptionSpec {
  readonly name: string;
  readonly hasArg: boolean;
  readonly invertible: boolean;
}

/** One occurrence of an option on the command line. */
export interface OptionUse {
  readonly name: string;
  readonly value: string;
  readonly invert: boolean;
}

/** What an extension's parser knows about the rule being parsed. */
export interface ParseContext {
  readonly where: SourceLocation;
  readonly family: 4 | 6;
  readonly protocol: ProtocolMatch | undefined;
}

/** Names and ids that are resolved when rules are loaded (user and group names of `-m owner`). */
export interface LoadEnvironment {
  readonly family: 4 | 6;
  readonly groups: Readonly<Record<string, number>>;
  readonly users: Readonly<Record<string, number>>;
}

/** A compiled match: true when the packet matches. */
export type MatchFn = (p: PacketState) => boolean;

/** A match extension. */
export interface MatchModule<M extends Match = Match> {
  readonly name: M['module'];
  readonly options: readonly OptionSpec[];
  /** Hooks where the kernel accepts it (`xt_match.hooks`); undefined means all. */
  readonly hooks?: readonly Hook[];
  /** Builds the match from its options, in the order given (`x6_parse` + `x6_fcheck`). */
  parse(uses: readonly OptionUse[], ctx: ParseContext, implicit: boolean): M;
  /** `iptables-save` arguments for this match, starting with `-m NAME`. */
  save(match: M): string[];
  /** The kernel's match function. */
  compile(match: M, env: LoadEnvironment, where: SourceLocation): MatchFn;
  /** What the packet looked like to this match (`uid 0`), for explaining a non-match in a trace. */
  observe(match: M, p: PacketState): string;
}

/** What a target did to the packet: continue with the next rule, or a verdict for this table. */
export type TargetResult = 'CONTINUE' | 'ACCEPT' | 'DROP';

/** What targets may ask of the namespace they run in. */
export interface TargetContext {
  /** The primary (first) address of `iface` in the packet's family (`in_dev->ifa_list`), if any. */
  primaryAddress(iface: string): IpAddress | undefined;
}

/** A target extension (not the standard ACCEPT/DROP/RETURN/jump/goto). */
export interface TargetModule<T extends Target = Target> {
  readonly name: T['kind'];
  readonly options: readonly OptionSpec[];
  /** Table the kernel restricts it to (`xt_target.table`). */
  readonly table?: TableName;
  /** Hooks where the kernel accepts it. */
  readonly hooks?: readonly Hook[];
  /** Protocols it requires (`-p tcp` etc.); undefined means any. */
  readonly protocols?: readonly number[];
  parse(uses: readonly OptionUse[], ctx: ParseContext): T;
  /** `iptables-save` arguments after `-j NAME` (its options only). */
  save(target: T, family?: 4 | 6): string[];
  /** The kernel's target function: changes the packet and returns the verdict. */
  run(target: T, p: PacketState, ctx: TargetContext): TargetResult;
  /** What the target did, for a trace (`REDIRECT to 127.0.0.1:15001`). */
  describe(target: T, p: PacketState): string;
}

/** Throws the error every extension uses for bad options: names the extension and the place. */
export function fail(where: SourceLocation, what: string, message: string): never {
  throw new ConfigError(`${what}: ${message}`, where, 'iptables');
}

/** Parses an unsigned integer in decimal or 0x-hex, as strtoul(…, 0) does (`1337`, `0x4000`). */
export function parseUint(text: string, max: number): number | undefined {
  const m = /^(?:0x([0-9a-fA-F]+)|(0[0-7]*)|([1-9]\d*))$/.exec(text);
  if (m === null) return undefined;
  const n = m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? parseInt(m[2], 8) : Number(m[3]);
  return Number.isSafeInteger(n) && n <= max ? n : undefined;
}

/** Parses a `value[/mask]` mark (xtables `XTTYPE_MARKMASK32`); the mask defaults to 0xffffffff. */
export function parseMarkMask(text: string): { value: number; mask: number } | undefined {
  const [v, m, extra] = text.split('/');
  if (extra !== undefined || v === undefined) return undefined;
  const value = parseUint(v, 0xffffffff);
  const mask = m === undefined ? 0xffffffff : parseUint(m, 0xffffffff);
  return value === undefined || mask === undefined ? undefined : { value, mask };
}

/** `0x…` as iptables-save prints marks. */
export const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** Parses a port or `min:max` range (xtables `XTTYPE_PORTRC`); `:max` and `min:` are open ends. */
export function parsePortRange(text: string): PortRange | undefined {
  const parts = text.split(':');
  if (parts.length > 2) return undefined;
  const port = (s: string, dflt: number): number | undefined => (s === '' ? dflt : parseUint(s, 65535));
  const min = port(parts[0] as string, 0);
  const max = parts.length === 2 ? port(parts[1] as string, 65535) : min;
  if (min === undefined || max === undefined || (parts.length === 1 && parts[0] === '')) return undefined;
  return min <= max ? { min, max } : { min: max, max: min }; // xtables swaps an inverted range
}

/** `80` or `8000:8080`, as iptables-save prints a range. */
export function formatPortRange(r: PortRange): string {
  return r.min === r.max ? `${r.min}` : `${r.min}:${r.max}`;
}

/** Finds the spec for `--name`: exact first, else a unique prefix (getopt_long). */
export function findOption(
  specs: readonly OptionSpec[],
  name: string,
): { spec: OptionSpec; exact: boolean } | 'ambiguous' | undefined {
  const exact = specs.find((s) => s.name === name);
  if (exact !== undefined) return { spec: exact, exact: true };
  const prefixed = specs.filter((s) => s.name.startsWith(name));
  if (prefixed.length === 1) return { spec: prefixed[0] as OptionSpec, exact: false };
  return prefixed.length > 1 ? 'ambiguous' : undefined;
}

/** Rejects a repeated option, as xtables does for options without `XTOPT_MULTI`. */
export function single(uses: readonly OptionUse[], name: string, where: SourceLocation, what: string): void {
  if (uses.filter((u) => u.name === name).length > 1) fail(where, what, `--${name} given more than once`);
}
