/**
 * IP addresses and CIDR ranges as Envoy's filter-chain matcher sees them (`Network::Address::CidrRange`,
 * envoyproxy/envoy source/common/network/cidr_range.cc): IPv4 and IPv6, host bits cleared, matched by
 * longest prefix. Addresses are compared as bigints so both families share one code path.
 */

/** A parsed address: its family and its value as an unsigned integer. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** A CIDR range with host bits cleared. */
export interface CidrRange {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefixLen: number;
}

const V4_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!V4_OCTET.test(p)) return undefined;
    n = n * 256n + BigInt(p);
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  let t = text;
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  let tail: bigint | undefined;
  const lastColon = t.lastIndexOf(':');
  if (t.includes('.') && lastColon >= 0) {
    tail = parseV4(t.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    t = `${t.slice(0, lastColon + 1)}0:0`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] | undefined => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] as string);
  const rest = halves.length === 2 ? groups(halves[1] as string) : [];
  if (head === undefined || rest === undefined) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail !== undefined) n = (n & ~0xffffffffn) | tail;
  return n;
}

/** Parses an IPv4 dotted quad or an IPv6 address (optionally bracketed); undefined otherwise. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (!text.includes(':')) return undefined;
  const v6 = parseV6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

function bitsOf(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function maskOf(family: 4 | 6, prefixLen: number): bigint {
  const bits = BigInt(bitsOf(family));
  const len = BigInt(prefixLen);
  return ((1n << bits) - 1n) ^ ((1n << (bits - len)) - 1n);
}

/**
 * A CIDR range from Envoy's `{address_prefix, prefix_len}` (an absent `prefix_len` is 0, as the proto
 * default is). Undefined when the address does not parse or the length is out of range.
 */
export function cidrRange(addressPrefix: string, prefixLen: number | undefined): CidrRange | undefined {
  const ip = parseIp(addressPrefix);
  const len = prefixLen ?? 0;
  if (ip === undefined || !Number.isInteger(len) || len < 0 || len > bitsOf(ip.family)) return undefined;
  return { family: ip.family, network: ip.value & maskOf(ip.family, len), prefixLen: len };
}

/** Whether `range` contains `ip` (families must agree). */
export function cidrContains(range: CidrRange, ip: IpAddress): boolean {
  return range.family === ip.family && (ip.value & maskOf(range.family, range.prefixLen)) === range.network;
}

/** The catch-all ranges Envoy uses for a filter chain with no `prefix_ranges`: `0.0.0.0/0` and `::/0`. */
export const CATCH_ALL_RANGES: readonly CidrRange[] = [
  { family: 4, network: 0n, prefixLen: 0 },
  { family: 6, network: 0n, prefixLen: 0 },
];

/** `a.b.c.d/n` or `x:y::/n`. */
export function formatCidr(range: CidrRange): string {
  if (range.family === 4) {
    const v = range.network;
    const o = [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n));
    return `${o.join('.')}/${range.prefixLen}`;
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((range.network >> BigInt(i * 16)) & 0xffffn).toString(16));
  return `${groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')}/${range.prefixLen}`;
}
