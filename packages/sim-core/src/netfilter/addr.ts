/**
 * IPv4/IPv6 addresses and prefixes as netfilter sees them: 32 or 128 bits compared word by word under a
 * mask. An address is stored as 32-bit words (one for IPv4, four for IPv6) so a prefix test is a handful of
 * integer operations — the traversal hot path does nothing else with addresses.
 */

/** An IP address: `words` holds 1 (IPv4) or 4 (IPv6) unsigned 32-bit words, most significant first. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly words: readonly number[];
}

/**
 * A prefix (`-s 10.0.0.0/8`). `words` is the address with host bits cleared, as the kernel stores it
 * (`iptables -s 10.1.2.3/8` is saved as `10.0.0.0/8`); `address` keeps the bits as written.
 */
export interface Cidr {
  readonly family: 4 | 6;
  readonly address: IpAddress;
  readonly words: readonly number[];
  readonly mask: readonly number[];
  readonly prefixLength: number;
}

const DEC_OCTET = /^(?:0|[1-9]\d{0,2})$/;

/** Parses dotted-quad IPv4 (`10.96.0.10`); `undefined` if it is not one. Leading zeros are refused, as Go does. */
export function parseIpv4(text: string): IpAddress | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let w = 0;
  for (const p of parts) {
    if (!DEC_OCTET.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    w = w * 256 + n;
  }
  return { family: 4, words: [w] };
}

/** Parses IPv6 text (RFC 4291 §2.2, including `::` and an embedded dotted quad); `undefined` if invalid. */
export function parseIpv6(text: string): IpAddress | undefined {
  if (text.includes('%')) return undefined; // zones never appear in netfilter rules
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const groups = s.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) return undefined;
        const w = v4.words[0] as number;
        out.push(Math.floor(w / 65536), w % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = parseGroups(halves[0] as string);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  const words: number[] = [];
  for (let i = 0; i < 8; i += 2) words.push((groups[i] as number) * 65536 + (groups[i + 1] as number));
  return { family: 6, words };
}

/** Parses an IPv4 or IPv6 address; `undefined` if `text` is neither. */
export function parseIp(text: string): IpAddress | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** Formats an address as `inet_ntop` does: dotted quad, or RFC 5952 IPv6 (longest zero run as `::`). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) {
    const w = ip.words[0] as number;
    return `${Math.floor(w / 16777216)}.${Math.floor(w / 65536) % 256}.${Math.floor(w / 256) % 256}.${w % 256}`;
  }
  const groups: number[] = [];
  for (const w of ip.words) groups.push(Math.floor(w / 65536), w % 65536);
  // IPv4-mapped (::ffff:a.b.c.d) keeps its dotted tail, as inet_ntop prints it.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIp({ family: 4, words: [ip.words[3] as number] })}`;
  }
  let bestStart = -1;
  let bestLen = 1; // a single zero group is not compressed (RFC 5952 §4.2.2)
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** The mask words of a prefix length. */
function maskWords(family: 4 | 6, prefixLength: number): number[] {
  const n = family === 4 ? 1 : 4;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const bits = Math.max(0, Math.min(32, prefixLength - 32 * i));
    out.push(bits === 0 ? 0 : bits === 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0);
  }
  return out;
}

/** Builds a prefix from an address and a length (host bits are cleared in `words`). */
export function cidrOf(address: IpAddress, prefixLength: number): Cidr {
  const mask = maskWords(address.family, prefixLength);
  const words = address.words.map((w, i) => (w & (mask[i] as number)) >>> 0);
  return { family: address.family, address, words, mask, prefixLength };
}

/** Prefix length of a contiguous netmask (`255.255.0.0` → 16), or `undefined` when not contiguous. */
function netmaskLength(mask: IpAddress): number | undefined {
  let len = 0;
  let ended = false;
  for (const w of mask.words) {
    for (let b = 31; b >= 0; b--) {
      const set = ((w >>> b) & 1) === 1;
      if (set && ended) return undefined;
      if (set) len++;
      else ended = true;
    }
  }
  return len;
}

/**
 * Parses an iptables address argument: `ADDR`, `ADDR/LEN` or `ADDR/NETMASK` (xtables_ipparse_any). A bare
 * address is a host prefix (/32, /128). Returns `undefined` when the text is not such an address — host
 * names, which iptables would resolve through DNS, are not supported.
 */
export function parseIptablesCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (addr === undefined) return undefined;
  const max = addr.family === 4 ? 32 : 128;
  if (slash < 0) return cidrOf(addr, max);
  const m = text.slice(slash + 1);
  if (/^\d{1,3}$/.test(m)) {
    const len = Number(m);
    return len <= max ? cidrOf(addr, len) : undefined;
  }
  const mask = parseIp(m);
  if (mask === undefined || mask.family !== addr.family) return undefined;
  const len = netmaskLength(mask);
  return len === undefined ? undefined : cidrOf(addr, len);
}

/**
 * Parses a prefix as Go's `netip.ParsePrefix` does (what istio-iptables uses for `-i`/`-x`): the length is
 * required and decimal; no netmask form.
 */
export function parseGoPrefix(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIp(text.slice(0, slash));
  const m = text.slice(slash + 1);
  if (addr === undefined || !/^(?:0|[1-9]\d*)$/.test(m)) return undefined;
  const len = Number(m);
  return len <= (addr.family === 4 ? 32 : 128) ? cidrOf(addr, len) : undefined;
}

/** True when `ip` lies in `cidr` (same family and equal under the mask). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  const w = ip.words;
  for (let i = 0; i < w.length; i++) {
    if (((w[i] as number) & (cidr.mask[i] as number)) >>> 0 !== cidr.words[i]) return false;
  }
  return true;
}

/** `ADDR/LEN` with the host bits cleared, as `iptables-save` prints a prefix. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIp({ family: cidr.family, words: cidr.words })}/${cidr.prefixLength}`;
}

/** `ADDR/LEN` with the address as written, as Go's `netip.Prefix.String()` prints it. */
export function formatPrefixAsWritten(cidr: Cidr): string {
  return `${formatIp(cidr.address)}/${cidr.prefixLength}`;
}

/** Two addresses are the same address. */
export function ipEquals(a: IpAddress, b: IpAddress): boolean {
  if (a.family !== b.family) return false;
  for (let i = 0; i < a.words.length; i++) if (a.words[i] !== b.words[i]) return false;
  return true;
}

/** True for 127.0.0.0/8 and ::1 (Go's `netip.Addr.IsLoopback`). */
export function isLoopback(ip: IpAddress): boolean {
  if (ip.family === 4) return Math.floor((ip.words[0] as number) / 16777216) === 127;
  return ip.words[0] === 0 && ip.words[1] === 0 && ip.words[2] === 0 && ip.words[3] === 1;
}

/** `IP:PORT`, with brackets for IPv6 (`[::1]:15001`), as Go's `net.JoinHostPort`. */
export function formatEndpoint(ip: IpAddress, port: number): string {
  return ip.family === 6 ? `[${formatIp(ip)}]:${port}` : `${formatIp(ip)}:${port}`;
}

/** Parses `IP:PORT` or `[IPv6]:PORT`; `undefined` if malformed. */
export function parseEndpoint(text: string): { ip: IpAddress; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (m === null) return undefined;
  const ip = parseIp((m[1] ?? m[2]) as string);
  const port = Number(m[3]);
  if (ip === undefined || port > 65535) return undefined;
  return { ip, port };
}
