/**
 * IP address and CIDR syntax as Go's `net/netip` accepts it (`ParseAddr`, `ParsePrefix`), which Istio's
 * validation uses (`pkg/config/validation/agent`: ValidateIPAddress, ValidateIPSubnet): IPv4 in dotted
 * decimal without leading zeros, IPv6 with `::` compression and an optional embedded IPv4 tail.
 */

/** Parses a dotted-decimal IPv4 address into its 4 bytes, or `undefined`. */
export function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined; // netip: no leading zeros
    const n = Number(p);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

/** Parses an IPv6 address into its 8 16-bit groups, or `undefined`. Zones (`%eth0`) are accepted, as netip does. */
export function parseIPv6(text: string): number[] | undefined {
  const zone = text.indexOf('%');
  if (zone === text.length - 1) return undefined;
  let s = zone >= 0 ? text.slice(0, zone) : text;
  if (!s.includes(':')) return undefined;
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 tail (`::ffff:10.0.0.1`) stands for the last two groups.
    const v4 = parseIPv4(last);
    if (v4 === undefined) return undefined;
    const hex = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);
    s = `${s.slice(0, lastColon + 1)}${hex(v4[0] ?? 0, v4[1] ?? 0)}:${hex(v4[2] ?? 0, v4[3] ?? 0)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === undefined || rest === undefined) return undefined;
  const count = head.length + rest.length;
  if (halves.length === 2) return count > 7 ? undefined : [...head, ...new Array<number>(8 - count).fill(0), ...rest];
  return count === 8 ? head : undefined;
}

/** Whether `text` is an IPv4 or IPv6 address (Go `netip.ParseAddr` succeeds). */
export function isIPAddress(text: string): boolean {
  return parseIPv4(text) !== undefined || parseIPv6(text) !== undefined;
}

/** Whether `text` is a CIDR block (Go `netip.ParsePrefix`): address, `/`, prefix length within the family. */
export function isCIDR(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0 || text.indexOf('/', slash + 1) >= 0) return false;
  const addr = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || (bits.length > 1 && bits.startsWith('0'))) return false;
  if (addr.includes('%')) return false; // netip.ParsePrefix rejects zones
  if (parseIPv4(addr) !== undefined) return Number(bits) <= 32;
  if (parseIPv6(addr) !== undefined) return Number(bits) <= 128;
  return false;
}
