/**
 * The iptables data model: tables, built-in and user chains, rules made of the IPv4/IPv6 header match
 * (`-p -s -d -i -o`), extension matches (`-m ...`) and one target (`-j`/`-g`). Everything here is plain,
 * immutable data; parsing lives in `ruleParser.ts`/`restore.ts`, evaluation in `compile.ts`/`traverse.ts`.
 *
 * Mirrors the kernel's `struct ipt_entry` (ip part + matches + target) as `iptables-save` shows it.
 */
import type { Cidr, IpAddress } from './addr.js';

/** The netfilter hooks a packet passes (`NF_INET_*`). */
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** The iptables tables meshsim models. */
export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';

/** Tables in the order `iptables-save` prints them when all exist, and their built-in chains. */
export const TABLE_NAMES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter'];

/**
 * Built-in chains of each table (`iptable_raw.c`, `iptable_mangle.c`, `iptable_nat.c`, `iptable_filter.c`
 * valid_hooks), in the order iptables-save lists them.
 */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly Hook[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** Is `name` a built-in chain of `table`? */
export function isBuiltinChain(table: TableName, name: string): name is Hook {
  return (BUILTIN_CHAINS[table] as readonly string[]).includes(name);
}

/** An inclusive port range (`80`, `8000:8080`). */
export interface PortRange {
  readonly min: number;
  readonly max: number;
}

/** `-p`: protocol by name or number; `number` 0 means `all`. */
export interface ProtocolMatch {
  readonly name: string;
  readonly number: number;
  readonly invert: boolean;
}

/** `-s`/`-d`. */
export interface AddressMatch {
  readonly cidr: Cidr;
  readonly invert: boolean;
}

/** `-i`/`-o`: an interface name; a trailing `+` matches any name with that prefix. */
export interface InterfaceMatch {
  readonly name: string;
  readonly invert: boolean;
}

/** A negatable value. */
export interface Negatable<T> {
  readonly value: T;
  readonly invert: boolean;
}

/** `-m tcp` / `-m udp` (xt_tcpudp): `--sport`, `--dport`. `implicit` when loaded by `-p tcp` alone. */
export interface TcpUdpMatch {
  readonly module: 'tcp' | 'udp';
  readonly sport?: Negatable<PortRange>;
  readonly dport?: Negatable<PortRange>;
  readonly implicit: boolean;
}

/** `-m multiport` (xt_multiport v1): `--dports`, `--sports` or `--ports` (either). */
export interface MultiportMatch {
  readonly module: 'multiport';
  readonly direction: 'dports' | 'sports' | 'ports';
  readonly ports: readonly PortRange[];
  readonly invert: boolean;
}

/** An owner id or range; `name` when given as a user/group name that must be resolved. */
export interface OwnerId {
  readonly min: number;
  readonly max: number;
  readonly name?: string;
}

/** `-m owner` (xt_owner): socket owner's fsuid/fsgid; supplementary groups only with `--suppl-groups`. */
export interface OwnerMatch {
  readonly module: 'owner';
  readonly uid?: Negatable<OwnerId>;
  readonly gid?: Negatable<OwnerId>;
  readonly socketExists?: Negatable<true>;
  readonly supplGroups: boolean;
}

/** `-m statistic` (xt_statistic). `probability` is the kernel's 31-bit threshold `lround(2^31 · p)`. */
export type StatisticMatch =
  | { readonly module: 'statistic'; readonly mode: 'random'; readonly probability: number; readonly invert: boolean }
  | {
      readonly module: 'statistic';
      readonly mode: 'nth';
      readonly every: number;
      readonly packet: number;
      readonly invert: boolean;
    };

/** Address types of `-m addrtype` (the kernel's RTN_* names). */
export type AddrType =
  | 'UNSPEC'
  | 'UNICAST'
  | 'LOCAL'
  | 'BROADCAST'
  | 'ANYCAST'
  | 'MULTICAST'
  | 'BLACKHOLE'
  | 'UNREACHABLE'
  | 'PROHIBIT'
  | 'THROW'
  | 'NAT'
  | 'XRESOLVE';

/** `-m addrtype` (xt_addrtype v1). */
export interface AddrTypeMatch {
  readonly module: 'addrtype';
  readonly srcType?: Negatable<readonly AddrType[]>;
  readonly dstType?: Negatable<readonly AddrType[]>;
  readonly limitIfaceIn: boolean;
  readonly limitIfaceOut: boolean;
}

/** Connection states of `--ctstate`. */
export type CtState = 'INVALID' | 'NEW' | 'ESTABLISHED' | 'RELATED' | 'UNTRACKED' | 'SNAT' | 'DNAT';

/** `-m conntrack` (xt_conntrack), the `--ctstate` option. */
export interface ConntrackMatch {
  readonly module: 'conntrack';
  readonly ctstate: Negatable<readonly CtState[]>;
}

/** `-m mark` / `-m connmark`: `(mark & mask) == value`. */
export interface MarkMatch {
  readonly module: 'mark' | 'connmark';
  readonly value: number;
  readonly mask: number;
  readonly invert: boolean;
}

/** `-m comment`: no effect on matching. */
export interface CommentMatch {
  readonly module: 'comment';
  readonly comment: string;
}

/** Any extension match. */
export type Match =
  | TcpUdpMatch
  | MultiportMatch
  | OwnerMatch
  | StatisticMatch
  | AddrTypeMatch
  | ConntrackMatch
  | MarkMatch
  | CommentMatch;

/** A NAT address/port range (`--to-destination 10.0.1.1:80`, `--to-ports 15001`). */
export interface NatRange {
  readonly minAddr?: IpAddress;
  readonly maxAddr?: IpAddress;
  readonly ports?: PortRange;
}

/** Targets (`-j`/`-g`). `none` is a rule without a target: it only counts and falls through. */
export type Target =
  | { readonly kind: 'ACCEPT' | 'DROP' | 'RETURN' | 'none' }
  | { readonly kind: 'jump' | 'goto'; readonly chain: string }
  | { readonly kind: 'REJECT'; readonly rejectWith: string }
  | { readonly kind: 'REDIRECT'; readonly ports?: PortRange; readonly random: boolean }
  | { readonly kind: 'DNAT' | 'SNAT'; readonly range: NatRange; readonly random: boolean; readonly persistent: boolean }
  | { readonly kind: 'MASQUERADE'; readonly ports?: PortRange; readonly random: boolean; readonly randomFully: boolean }
  | { readonly kind: 'MARK'; readonly value: number; readonly mask: number }
  | {
      readonly kind: 'CONNMARK';
      readonly mode: 'set' | 'save' | 'restore';
      readonly ctmark: number;
      readonly ctmask: number;
      readonly nfmask: number;
    }
  | { readonly kind: 'CT'; readonly zone?: number; readonly notrack: boolean }
  | {
      readonly kind: 'TPROXY';
      readonly onPort: number;
      readonly onIp?: IpAddress;
      readonly mark: number;
      readonly mask: number;
    };

/** Packet and byte counters (`[p:b]`). */
export interface Counters {
  readonly packets: string;
  readonly bytes: string;
}

/** Where a rule or chain came from, for errors and traces. */
export interface RuleSource {
  readonly file: string;
  readonly line: number;
}

/** One rule. `text` is the rule as written after `-A CHAIN` (what traces and the printer show). */
export interface Rule {
  readonly text: string;
  readonly protocol?: ProtocolMatch;
  readonly source?: AddressMatch;
  readonly destination?: AddressMatch;
  readonly inInterface?: InterfaceMatch;
  readonly outInterface?: InterfaceMatch;
  /** Extension matches, in the order the kernel evaluates them (the order they were given). */
  readonly matches: readonly Match[];
  readonly target: Target;
  readonly counters?: Counters;
  readonly from?: RuleSource;
}

/** A chain. Built-in chains have a policy (ACCEPT or DROP); user chains have none. */
export interface Chain {
  readonly name: string;
  readonly builtin: boolean;
  readonly policy?: 'ACCEPT' | 'DROP';
  readonly counters?: Counters;
  readonly rules: readonly Rule[];
}

/** A table: its chains, built-in ones first (in {@link BUILTIN_CHAINS} order), then user chains by creation. */
export interface Table {
  readonly name: TableName;
  readonly chains: readonly Chain[];
}

/**
 * The rules of one network namespace for one address family — what `iptables-save` (IPv4) or
 * `ip6tables-save` (IPv6) would print. Only tables that were created appear (an absent table has no hooks).
 */
export interface Ruleset {
  readonly family: 4 | 6;
  readonly tables: readonly Table[];
}

/** The table called `name`, if the ruleset has it. */
export function tableOf(ruleset: Ruleset, name: TableName): Table | undefined {
  return ruleset.tables.find((t) => t.name === name);
}

/** The chain called `name` in `table`, if present. */
export function chainOf(table: Table | undefined, name: string): Chain | undefined {
  return table?.chains.find((c) => c.name === name);
}

/** An empty ruleset (no tables loaded). */
export function emptyRuleset(family: 4 | 6 = 4): Ruleset {
  return { family, tables: [] };
}

/** Protocol numbers for the names iptables knows (`xtables_chain_protos` plus /etc/protocols basics). */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  all: 0,
  icmp: 1,
  tcp: 6,
  udp: 17,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  'ipv6-icmp': 58,
  sctp: 132,
  udplite: 136,
};
