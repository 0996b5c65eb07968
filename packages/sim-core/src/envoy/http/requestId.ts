/**
 * `x-request-id` values: Envoy's connection manager gives every request that arrives without one a random
 * version-4 UUID (`UUIDRequestIDExtension::set`, envoyproxy/envoy
 * source/extensions/request_id/uuid/config.cc). meshsim derives them from a per-proxy key and a counter with
 * an integer mixing function instead of a random stream: the ids are stable for a seed, and drawing them
 * never shifts any other random stream (ids are only text for logs and header propagation).
 */

// A 32-bit avalanche (the murmur3 finaliser).
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable 32-bit key of a string (FNV-1a then the finaliser). */
export function stringKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix(h);
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex4 = (n: number): string => (HEX[(n >>> 8) & 255] as string) + (HEX[n & 255] as string);

/** Version-4 UUIDs derived from `key` and a counter: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`. */
export class RequestIdGenerator {
  private readonly key: number;
  private n = 0;

  constructor(key: string) {
    this.key = stringKey(key);
  }

  /** The next id. */
  next(): string {
    const c = this.n++;
    const a = fmix(this.key ^ Math.imul(c + 1, 0x9e3779b1));
    const b = fmix(a ^ 0x7f4a7c15);
    const d = fmix(b + 0x165667b1);
    const e = fmix(d ^ this.key);
    return (
      hex4(a >>> 16) +
      hex4(a) +
      '-' +
      hex4(b >>> 16) +
      '-' +
      hex4((b & 0x0fff) | 0x4000) +
      '-' +
      hex4(((d >>> 16) & 0x3fff) | 0x8000) +
      '-' +
      hex4(d) +
      hex4(e >>> 16) +
      hex4(e)
    );
  }
}
