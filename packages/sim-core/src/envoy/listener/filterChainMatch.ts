/**
 * Filter-chain selection, as `FilterChainManagerImpl::findFilterChain` (envoyproxy/envoy
 * source/common/listener_manager/filter_chain_manager_impl.cc). Envoy builds a decision tree keyed, level
 * by level, on: destination port → destination IP (longest prefix) → server name (exact, then `*.`
 * wildcards from the longest suffix) → transport protocol → application protocols (the client's order) →
 * direct source IP → source type → source IP (longest prefix) → source port. At every level the most
 * specific key present wins and an empty criterion is the fallback; **there is no backtracking**: once a
 * level has chosen, a later mismatch ends the search, and the listener's `default_filter_chain` (if any)
 * is used. One quirk: when some chain names the destination port, chains without a port are never
 * considered for that port. Two chains that reach the same leaf make Envoy reject the whole listener
 * ("multiple filter chains with overlapping matching rules are defined").
 */
import { cidrContains, cidrRange, parseIp, CATCH_ALL_RANGES, formatCidr, type CidrRange } from './address.js';
import type { SocketProperties } from './connection.js';
import type { CidrRangeConfig, FilterChain, FilterChainMatch, Listener } from './types.js';

/** The criteria, in Envoy's order. */
export type FilterChainCriterion =
  | 'destination_port'
  | 'destination_ip'
  | 'server_name'
  | 'transport_protocol'
  | 'application_protocols'
  | 'direct_source_ip'
  | 'source_type'
  | 'source_ip'
  | 'source_port';

/** One level of the decision: what the connection offered, which key won, and the chains left. */
export interface FilterChainStep {
  readonly criterion: FilterChainCriterion;
  /** The connection's value for this criterion. */
  readonly value: string;
  /** The configured key that won (`'(any)'` for chains without this criterion), or undefined: no match. */
  readonly chosen?: string;
  /** Indices (in `filterChains`) still in the running after this level. */
  readonly remaining: readonly number[];
}

/** The result of {@link findFilterChain}. */
export interface FilterChainSelection {
  /** The chain the connection gets; undefined when neither a chain nor a default chain matches. */
  readonly chain?: FilterChain;
  /** Its index in `filterChains`, or -1 for the default chain or none. */
  readonly index: number;
  readonly usedDefaultChain: boolean;
  readonly steps: readonly FilterChainStep[];
  /**
   * `no_filter_chain` (Envoy closes the connection; stat `no_filter_chain_match`) or
   * `multiple_filter_chains` (the listener itself is invalid: Envoy rejects it).
   */
  readonly error?: 'no_filter_chain' | 'multiple_filter_chains';
  /** For `multiple_filter_chains`: Envoy's error text naming the chains. */
  readonly conflict?: string;
}

const ANY = '(any)';

function ranges(list: readonly CidrRangeConfig[] | undefined): readonly CidrRange[] {
  if (list === undefined || list.length === 0) return CATCH_ALL_RANGES;
  const out: CidrRange[] = [];
  for (const r of list) {
    const c = cidrRange(r.addressPrefix, r.prefixLen);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** Normalised keys of one chain at every level (a list of alternatives per level). */
interface ChainKeys {
  readonly port: number;
  readonly dstIps: readonly CidrRange[];
  readonly serverNames: readonly string[];
  readonly transport: string;
  readonly alpn: readonly string[];
  readonly directSrcIps: readonly CidrRange[];
  readonly sourceType: string;
  readonly srcIps: readonly CidrRange[];
  readonly srcPorts: readonly number[];
}

function keysOf(m: FilterChainMatch | undefined): ChainKeys {
  return {
    port: m?.destinationPort ?? 0,
    dstIps: ranges(m?.prefixRanges),
    // '*.example.com' is stored as '.example.com', exact names as themselves, '' for none.
    serverNames:
      m?.serverNames === undefined || m.serverNames.length === 0
        ? ['']
        : m.serverNames.map((s) => (s.startsWith('*.') ? s.slice(1) : s).toLowerCase()),
    transport: m?.transportProtocol ?? '',
    alpn: m?.applicationProtocols === undefined || m.applicationProtocols.length === 0 ? [''] : m.applicationProtocols,
    directSrcIps: ranges(m?.directSourcePrefixRanges),
    sourceType: m?.sourceType ?? 'ANY',
    srcIps: ranges(m?.sourcePrefixRanges),
    srcPorts: m?.sourcePorts === undefined || m.sourcePorts.length === 0 ? [0] : m.sourcePorts,
  };
}

const sameRange = (a: CidrRange, b: CidrRange): boolean =>
  a.family === b.family && a.prefixLen === b.prefixLen && a.network === b.network;
const overlap = <T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): boolean =>
  a.some((x) => b.some((y) => eq(x, y)));

function conflicts(a: ChainKeys, b: ChainKeys): boolean {
  return (
    a.port === b.port &&
    overlap(a.dstIps, b.dstIps, sameRange) &&
    overlap(a.serverNames, b.serverNames, (x, y) => x === y) &&
    a.transport === b.transport &&
    overlap(a.alpn, b.alpn, (x, y) => x === y) &&
    overlap(a.directSrcIps, b.directSrcIps, sameRange) &&
    a.sourceType === b.sourceType &&
    overlap(a.srcIps, b.srcIps, sameRange) &&
    overlap(a.srcPorts, b.srcPorts, (x, y) => x === y)
  );
}

interface ListenerIndex {
  readonly keys: readonly ChainKeys[];
  readonly error?: string;
}

const indexCache = new WeakMap<Listener, ListenerIndex>();

function chainLabel(chains: readonly FilterChain[], i: number): string {
  const name = chains[i]?.name;
  return name === undefined || name === '' ? `#${i}` : `'${name}'`;
}

function listenerIndex(listener: Listener): ListenerIndex {
  let idx = indexCache.get(listener);
  if (idx !== undefined) return idx;
  const chains = listener.filterChains ?? [];
  const keys = chains.map((c) => keysOf(c.filterChainMatch));
  let error: string | undefined;
  for (const [i, c] of chains.entries()) {
    for (const s of c.filterChainMatch?.serverNames ?? []) {
      if (s.includes('*') && !s.startsWith('*.')) {
        error ??= `error adding listener '${listener.name}': partial wildcards are not supported in "server_names"`;
      }
    }
    for (const r of [
      ...(c.filterChainMatch?.prefixRanges ?? []),
      ...(c.filterChainMatch?.sourcePrefixRanges ?? []),
      ...(c.filterChainMatch?.directSourcePrefixRanges ?? []),
    ]) {
      if (cidrRange(r.addressPrefix, r.prefixLen) === undefined) {
        error ??= `error adding listener '${listener.name}': filter chain ${chainLabel(chains, i)} has malformed IP range ${r.addressPrefix}/${r.prefixLen ?? 0}`;
      }
    }
  }
  outer: for (let i = 0; i < keys.length; i++) {
    for (let j = 0; j < i; j++) {
      if (conflicts(keys[i] as ChainKeys, keys[j] as ChainKeys)) {
        error ??= `error adding listener '${listener.name}': multiple filter chains with overlapping matching rules are defined (${chainLabel(chains, j)} and ${chainLabel(chains, i)})`;
        break outer;
      }
    }
  }
  idx = error === undefined ? { keys } : { keys, error };
  indexCache.set(listener, idx);
  return idx;
}

/** Envoy's reason to reject this listener's filter chains, if any (overlapping chains, bad ranges, …). */
export function listenerConfigError(listener: Listener): string | undefined {
  return listenerIndex(listener).error;
}

function isLoopback(addr: string): boolean {
  const ip = parseIp(addr);
  if (ip === undefined) return false;
  return ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n;
}

/** A winning range as a step key: the catch-all that stands for "no ranges configured" is `(any)`. */
function rangeKey(r: CidrRange | undefined): string | undefined {
  if (r === undefined) return undefined;
  return CATCH_ALL_RANGES.includes(r) ? ANY : formatCidr(r);
}

/** Longest-prefix choice among candidates' ranges (Envoy's exclusive LC-trie). */
function longestPrefix(
  candidates: readonly number[],
  rangesOf: (i: number) => readonly CidrRange[],
  address: string,
): { chosen?: CidrRange; remaining: number[] } {
  const ip = parseIp(address) ?? parseIp('255.255.255.255');
  let best: CidrRange | undefined;
  for (const i of candidates) {
    for (const r of rangesOf(i)) {
      if (ip !== undefined && cidrContains(r, ip) && (best === undefined || r.prefixLen > best.prefixLen)) best = r;
    }
  }
  if (best === undefined) return { remaining: [] };
  const b = best;
  return { chosen: b, remaining: candidates.filter((i) => rangesOf(i).some((r) => sameRange(r, b))) };
}

/**
 * The filter chain a connection gets on `listener`, with each decision step. Deterministic; never throws.
 */
export function findFilterChain(listener: Listener, socket: SocketProperties): FilterChainSelection {
  const chains = listener.filterChains ?? [];
  const idx = listenerIndex(listener);
  const steps: FilterChainStep[] = [];
  if (idx.error !== undefined) {
    return { index: -1, usedDefaultChain: false, steps, error: 'multiple_filter_chains', conflict: idx.error };
  }
  const k = (i: number): ChainKeys => idx.keys[i] as ChainKeys;
  const fallback = (): FilterChainSelection =>
    listener.defaultFilterChain !== undefined
      ? { chain: listener.defaultFilterChain, index: -1, usedDefaultChain: true, steps }
      : { index: -1, usedDefaultChain: false, steps, error: 'no_filter_chain' };
  const step = (
    criterion: FilterChainCriterion,
    value: string,
    chosen: string | undefined,
    remaining: number[],
  ): boolean => {
    steps.push({ criterion, value, ...(chosen !== undefined ? { chosen } : {}), remaining });
    return remaining.length > 0;
  };
  let cands = chains.map((_, i) => i);

  // 1. Destination port: a chain naming the port wins; else port-less chains.
  const byPort = cands.filter((i) => k(i).port === socket.localPort);
  if (byPort.length > 0) {
    step('destination_port', String(socket.localPort), String(socket.localPort), byPort);
    cands = byPort;
  } else {
    cands = cands.filter((i) => k(i).port === 0);
    if (!step('destination_port', String(socket.localPort), cands.length > 0 ? ANY : undefined, cands))
      return fallback();
  }

  // 2. Destination IP, longest prefix.
  const dst = longestPrefix(cands, (i) => k(i).dstIps, socket.localAddress);
  if (!step('destination_ip', socket.localAddress, rangeKey(dst.chosen), dst.remaining)) return fallback();
  cands = dst.remaining;

  // 3. Server name: exact, then '*.' wildcards from the longest suffix, then chains without names.
  const sni = socket.serverName;
  const withName = (key: string): number[] => cands.filter((i) => k(i).serverNames.includes(key));
  let chosenName: string | undefined;
  let byName = withName(sni);
  if (byName.length > 0) chosenName = sni === '' ? ANY : sni;
  else {
    for (let pos = sni.indexOf('.', 1); pos >= 0 && pos < sni.length - 1; pos = sni.indexOf('.', pos + 1)) {
      byName = withName(sni.slice(pos));
      if (byName.length > 0) {
        chosenName = `*${sni.slice(pos)}`;
        break;
      }
    }
    if (chosenName === undefined) {
      byName = withName('');
      if (byName.length > 0) chosenName = ANY;
    }
  }
  if (!step('server_name', sni === '' ? '(none)' : sni, chosenName, chosenName === undefined ? [] : byName)) {
    return fallback();
  }
  cands = byName;

  // 4. Transport protocol: exact, else chains without one.
  let byTransport = cands.filter((i) => k(i).transport === socket.transportProtocol);
  let chosenTransport: string | undefined = socket.transportProtocol;
  if (byTransport.length === 0) {
    byTransport = cands.filter((i) => k(i).transport === '');
    chosenTransport = byTransport.length > 0 ? ANY : undefined;
  }
  if (!step('transport_protocol', socket.transportProtocol, chosenTransport, byTransport)) return fallback();
  cands = byTransport;

  // 5. Application protocols: the first of the client's ALPN values some chain lists, else chains without.
  let byAlpn: number[] = [];
  let chosenAlpn: string | undefined;
  for (const p of socket.applicationProtocols) {
    byAlpn = cands.filter((i) => k(i).alpn.includes(p));
    if (byAlpn.length > 0) {
      chosenAlpn = p;
      break;
    }
  }
  if (chosenAlpn === undefined) {
    byAlpn = cands.filter((i) => k(i).alpn.includes(''));
    if (byAlpn.length > 0) chosenAlpn = ANY;
  }
  const alpnText = socket.applicationProtocols.length === 0 ? '(none)' : socket.applicationProtocols.join(',');
  if (!step('application_protocols', alpnText, chosenAlpn, byAlpn)) return fallback();
  cands = byAlpn;

  // 6. Direct source IP, longest prefix.
  const direct = longestPrefix(cands, (i) => k(i).directSrcIps, socket.directRemoteAddress);
  if (!step('direct_source_ip', socket.directRemoteAddress, rangeKey(direct.chosen), direct.remaining)) {
    return fallback();
  }
  cands = direct.remaining;

  // 7. Source type: local connections prefer SAME_IP_OR_LOOPBACK chains, others EXTERNAL ones, then ANY.
  const local = socket.remoteAddress === socket.localAddress || isLoopback(socket.remoteAddress);
  const preferred = local ? 'SAME_IP_OR_LOOPBACK' : 'EXTERNAL';
  let byType = cands.filter((i) => k(i).sourceType === preferred);
  let chosenType: string | undefined = preferred;
  if (byType.length === 0) {
    byType = cands.filter((i) => k(i).sourceType === 'ANY');
    chosenType = byType.length > 0 ? ANY : undefined;
  }
  if (!step('source_type', local ? 'local' : 'external', chosenType, byType)) return fallback();
  cands = byType;

  // 8. Source IP, longest prefix. 9. Source port: exact, else chains without.
  const src = longestPrefix(cands, (i) => k(i).srcIps, socket.remoteAddress);
  if (!step('source_ip', socket.remoteAddress, rangeKey(src.chosen), src.remaining)) return fallback();
  cands = src.remaining;
  let byPortSrc = cands.filter((i) => k(i).srcPorts.includes(socket.remotePort));
  let chosenSrcPort: string | undefined = String(socket.remotePort);
  if (byPortSrc.length === 0) {
    byPortSrc = cands.filter((i) => k(i).srcPorts.includes(0));
    chosenSrcPort = byPortSrc.length > 0 ? ANY : undefined;
  }
  if (!step('source_port', String(socket.remotePort), chosenSrcPort, byPortSrc)) return fallback();

  const index = byPortSrc[0] as number;
  return { chain: chains[index], index, usedDefaultChain: false, steps };
}
