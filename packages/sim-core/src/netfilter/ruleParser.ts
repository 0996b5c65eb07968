/**
 * Parses one rule's arguments (what follows `-A CHAIN` or `-I CHAIN N`) the way `iptables` does
 * (iptables/xshared.c `do_parse`, `command_default`): generic options, `! ` before an option to negate
 * it, `-m NAME` loading a match whose options follow, the implicit `-m tcp`/`-m udp` loaded when a port
 * option follows `-p tcp`/`-p udp`, long options abbreviated to a unique prefix (getopt_long), and the
 * newest loaded extension winning an option name two extensions share.
 */
import type { SourceLocation } from '../errors.js';
import { parseIptablesCidr } from './addr.js';
import {
  fail,
  findOption,
  type MatchModule,
  type OptionSpec,
  type OptionUse,
  type ParseContext,
  type TargetModule,
} from './extension.js';
import {
  PROTOCOL_NUMBERS,
  type AddressMatch,
  type Counters,
  type InterfaceMatch,
  type Match,
  type ProtocolMatch,
  type Rule,
  type Target,
} from './model.js';
import { MATCH_NAMES, matchModule, targetModule } from './registry.js';
import { quoteRestoreArg } from './tokens.js';

/** What the parser needs to know besides the arguments. */
export interface RuleParseOptions {
  readonly where: SourceLocation;
  /** 4 for iptables, 6 for ip6tables. @defaultValue 4 */
  readonly family?: 4 | 6;
  /** The rule's text as written; by default the arguments re-joined with restore quoting. */
  readonly text?: string;
  /** Counters from a `[p:b]` prefix. */
  readonly counters?: Counters;
}

interface Generic {
  readonly key:
    | 'protocol'
    | 'source'
    | 'destination'
    | 'in-interface'
    | 'out-interface'
    | 'match'
    | 'jump'
    | 'goto'
    | 'set-counters';
  readonly invertible: boolean;
}

const GENERIC_LONG: Readonly<Record<string, Generic>> = {
  protocol: { key: 'protocol', invertible: true },
  source: { key: 'source', invertible: true },
  src: { key: 'source', invertible: true },
  destination: { key: 'destination', invertible: true },
  dst: { key: 'destination', invertible: true },
  'in-interface': { key: 'in-interface', invertible: true },
  'out-interface': { key: 'out-interface', invertible: true },
  match: { key: 'match', invertible: false },
  jump: { key: 'jump', invertible: false },
  goto: { key: 'goto', invertible: false },
  'set-counters': { key: 'set-counters', invertible: false },
};
const GENERIC_SHORT: Readonly<Record<string, string>> = {
  p: 'protocol',
  s: 'source',
  d: 'destination',
  i: 'in-interface',
  o: 'out-interface',
  m: 'match',
  j: 'jump',
  g: 'goto',
  c: 'set-counters',
};
const GENERIC_SPECS: readonly OptionSpec[] = Object.keys(GENERIC_LONG).map((name) => ({
  name,
  hasArg: true,
  invertible: true,
}));

const IFNAMSIZ = 16;

interface Loaded {
  readonly module: MatchModule;
  readonly uses: OptionUse[];
  readonly implicit: boolean;
}

/** Parses a rule's arguments into a {@link Rule}. Throws a ConfigError naming `where` on any problem. */
export function parseRuleArgs(args: readonly string[], options: RuleParseOptions): Rule {
  const where = options.where;
  const family = options.family ?? 4;
  let protocol: ProtocolMatch | undefined;
  let source: AddressMatch | undefined;
  let destination: AddressMatch | undefined;
  let inInterface: InterfaceMatch | undefined;
  let outInterface: InterfaceMatch | undefined;
  let counters = options.counters;
  const loaded: Loaded[] = [];
  let target: { name: string; goto: boolean; module?: TargetModule; uses: OptionUse[] } | undefined;
  let invert = false;

  const protoCtx = (): ParseContext => ({ where, family, protocol });
  const bad: (msg: string) => never = (msg) => fail(where, 'iptables', msg);

  for (let i = 0; i < args.length; i++) {
    const tok = args[i] as string;
    if (tok === '!') {
      if (invert) bad('multiple "!" flags not allowed');
      invert = true;
      continue;
    }
    let name: string;
    let inline: string | undefined;
    let short = false;
    if (tok.startsWith('--') && tok.length > 2) {
      const eq = tok.indexOf('=');
      name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
      inline = eq < 0 ? undefined : tok.slice(eq + 1);
    } else if (tok.startsWith('-') && tok.length >= 2 && tok !== '-') {
      const long = GENERIC_SHORT[tok[1] as string];
      if (long === undefined) bad(`unknown option "${tok}"`);
      name = long;
      short = true;
      inline = tok.length > 2 ? tok.slice(2).replace(/^=/, '') : undefined;
    } else {
      return bad(`bad argument "${tok}" (options start with - or --)`);
    }
    const value = (spec: { hasArg: boolean }, shown: string): string => {
      if (!spec.hasArg) {
        if (inline !== undefined) bad(`option ${shown} does not take an argument`);
        return '';
      }
      if (inline !== undefined) return inline;
      const v = args[i + 1];
      if (v === undefined) bad(`option ${shown} requires an argument`);
      i++;
      return v;
    };

    // Generic options come first in getopt's table, so they are never shadowed by an extension.
    const genericHit = short
      ? { spec: { name, hasArg: true, invertible: true }, exact: true }
      : findOption(GENERIC_SPECS, name);
    const extSpecs = (): { spec: OptionSpec; owner: Loaded | 'target' }[] => [
      ...(target?.module ? target.module.options.map((spec) => ({ spec, owner: 'target' as const })) : []),
      ...[...loaded].reverse().flatMap((l) => l.module.options.map((spec) => ({ spec, owner: l }))),
    ];
    const findExt = () => {
      const all = extSpecs();
      const exact = all.find((x) => x.spec.name === name);
      if (exact) return exact;
      const pref = all.filter((x) => x.spec.name.startsWith(name));
      if (pref.length > 1) bad(`option "--${name}" is ambiguous`);
      return pref[0];
    };
    let ext = genericHit !== undefined && genericHit !== 'ambiguous' && genericHit.exact ? undefined : findExt();
    if (genericHit === 'ambiguous' || (genericHit !== undefined && !genericHit.exact && ext !== undefined)) {
      bad(`option "--${name}" is ambiguous`);
    }
    if (genericHit !== undefined && ext === undefined) {
      const g = GENERIC_LONG[genericHit.spec.name] as Generic;
      const shown = short ? tok.slice(0, 2) : `--${genericHit.spec.name}`;
      if (invert && !g.invertible) bad(`cannot have "!" before ${shown}`);
      const v = value({ hasArg: true }, shown);
      const neg = invert;
      invert = false;
      switch (g.key) {
        case 'protocol': {
          if (protocol) bad('multiple -p flags not allowed');
          const lower = v.toLowerCase();
          const num = /^\d+$/.test(v) ? Number(v) : PROTOCOL_NUMBERS[lower];
          if (num === undefined || num > 255) bad(`unknown protocol "${v}" specified`);
          if (num === 0 && neg) bad('rule would never match protocol');
          protocol = { name: /^\d+$/.test(v) ? v : lower, number: num, invert: neg };
          break;
        }
        case 'source':
        case 'destination': {
          if (v.includes(',')) bad(`several addresses in one ${shown} are not supported; write one rule per address`);
          const cidr = parseIptablesCidr(v);
          if (cidr === undefined) bad(`host/network "${v}" not found (meshsim needs a numeric address or prefix)`);
          if (cidr.family !== family) bad(`${v} is not an IPv${family} address`);
          if ((g.key === 'source' ? source : destination) !== undefined) bad(`multiple ${shown} flags not allowed`);
          if (g.key === 'source') source = { cidr, invert: neg };
          else destination = { cidr, invert: neg };
          break;
        }
        case 'in-interface':
        case 'out-interface': {
          if (v.length >= IFNAMSIZ || v === '')
            bad(`interface name "${v}" must be shorter than IFNAMSIZ (${IFNAMSIZ})`);
          if (g.key === 'in-interface') inInterface = { name: v, invert: neg };
          else outInterface = { name: v, invert: neg };
          break;
        }
        case 'match': {
          const m = matchModule(v);
          if (m === undefined) bad(`unknown match "${v}" (meshsim supports: ${MATCH_NAMES.join(', ')})`);
          loaded.push({ module: m, uses: [], implicit: false });
          break;
        }
        case 'jump':
        case 'goto': {
          if (target) bad('multiple -j flags not allowed');
          const mod = g.key === 'jump' ? targetModule(v) : undefined;
          target = { name: v, goto: g.key === 'goto', uses: [], ...(mod ? { module: mod } : {}) };
          break;
        }
        case 'set-counters': {
          const bytes = args[i + 1];
          if (!/^\d+$/.test(v) || bytes === undefined || !/^\d+$/.test(bytes)) bad('-c needs packet and byte counters');
          i++;
          counters = { packets: v, bytes: bytes as string };
          break;
        }
      }
      continue;
    }
    if (ext === undefined && protocol && !protocol.invert && (protocol.number === 6 || protocol.number === 17)) {
      // command_default: an unknown option after -p tcp/udp loads that protocol's match and retries.
      const protoName = protocol.number === 6 ? 'tcp' : 'udp';
      if (!loaded.some((l) => l.module.name === protoName)) {
        loaded.push({ module: matchModule(protoName) as MatchModule, uses: [], implicit: true });
        ext = findExt();
      }
    }
    if (ext === undefined) return bad(`unknown option "${tok}"`);
    const shown = `--${ext.spec.name}`;
    if (invert && !ext.spec.invertible) bad(`cannot have "!" before ${shown}`);
    const use: OptionUse = { name: ext.spec.name, value: value(ext.spec, shown), invert };
    invert = false;
    if (ext.owner === 'target') target?.uses.push(use);
    else ext.owner.uses.push(use);
  }
  if (invert) bad('"!" at the end of the rule negates nothing');

  const ctx = protoCtx();
  const matches: Match[] = loaded.map((l) => l.module.parse(l.uses, ctx, l.implicit));
  let t: Target;
  if (target === undefined) t = { kind: 'none' };
  else if (target.module) {
    if (
      target.module.protocols &&
      (!protocol || protocol.invert || !target.module.protocols.includes(protocol.number))
    ) {
      bad(
        `-j ${target.name} can only be used with ${target.module.protocols.map((n) => (n === 6 ? '-p tcp' : '-p udp')).join(' or ')}`,
      );
    }
    t = target.module.parse(target.uses, ctx);
  } else if (!target.goto && (target.name === 'ACCEPT' || target.name === 'DROP' || target.name === 'RETURN')) {
    t = { kind: target.name };
  } else {
    t = { kind: target.goto ? 'goto' : 'jump', chain: target.name };
  }
  return {
    text: options.text ?? args.map(quoteRestoreArg).join(' '),
    matches,
    target: t,
    ...(protocol ? { protocol } : {}),
    ...(source ? { source } : {}),
    ...(destination ? { destination } : {}),
    ...(inInterface ? { inInterface } : {}),
    ...(outInterface ? { outInterface } : {}),
    ...(counters ? { counters } : {}),
    ...(where.file !== undefined && where.line !== undefined ? { from: { file: where.file, line: where.line } } : {}),
  };
}
