/**
 * IPv4 addresses and CIDR blocks as plain numbers, for deterministic address allocation (pod CIDR, service
 * CIDR, Istio's 240.240.0.0/16 auto-allocation range). Only IPv4 is modelled: meshsim's clusters are
 * single-stack, as a default `kind`/`kubeadm` cluster is.
 */
import { ConfigError, type SourceLocation } from '../../errors.js';

/** A CIDR block: network address (as an unsigned 32-bit number) and prefix length. */
export interface Cidr {
  readonly network: number;
  readonly bits: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The address as an unsigned 32-bit number, or `undefined` when `text` is not a dotted-quad IPv4. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    n = n * 256 + Number(part);
  }
  return n;
}

/** True when `text` is a dotted-quad IPv4 address. */
export function isIPv4(text: string): boolean {
  return parseIPv4(text) !== undefined;
}

/** Dotted-quad form of an unsigned 32-bit address. */
export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses `a.b.c.d/n` (host bits are cleared, as Go's `netip.Prefix.Masked`). Throws {@link ConfigError}. */
export function parseCidr(text: string, where: SourceLocation = {}): Cidr {
  const slash = text.indexOf('/');
  const addr = parseIPv4(slash < 0 ? text : text.slice(0, slash));
  const bits = slash < 0 ? 32 : Number(text.slice(slash + 1));
  if (addr === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32 || text.slice(slash + 1) === '') {
    throw new ConfigError(
      `invalid CIDR ${JSON.stringify(text)} (expected an IPv4 block such as "10.244.0.0/16")`,
      where,
    );
  }
  return { network: mask(addr, bits), bits };
}

/** `a.b.c.d/n`. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIPv4(cidr.network)}/${cidr.bits}`;
}

/** Number of addresses in the block. */
export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.bits);
}

/** True when `addr` (a number) lies in `cidr`. */
export function cidrContains(cidr: Cidr, addr: number): boolean {
  return mask(addr, cidr.bits) === cidr.network;
}

/** The `index`-th address of the block (0 is the network address). */
export function cidrAddress(cidr: Cidr, index: number): number {
  return (cidr.network + index) >>> 0;
}

/** The `index`-th sub-block of prefix length `bits` inside `cidr` (e.g. a node's /24 in a /16 pod CIDR). */
export function subCidr(cidr: Cidr, bits: number, index: number): Cidr {
  return { network: (cidr.network + index * 2 ** (32 - bits)) >>> 0, bits };
}

function mask(addr: number, bits: number): number {
  return bits === 0 ? 0 : (addr & (0xffffffff << (32 - bits))) >>> 0;
}
