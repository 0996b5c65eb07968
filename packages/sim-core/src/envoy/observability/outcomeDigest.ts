/**
 * A fingerprint of a stream of outcomes, in order: each outcome's fields are mixed in as numbers (strings
 * as the ids {@link OutcomeDigest.intern} hands out in first-seen order), two 32-bit MurmurHash3-style lanes
 * finished with MurmurHash3's `fmix32`. Equal runs give equal digests; it is not a cryptographic hash, only
 * a cheap check that two runs produced the very same outcomes.
 */

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** The running digest of a stream of outcomes. */
export class OutcomeDigest {
  private readonly interned = new Map<string, number>();
  private h1 = 0x9e3779b9;
  private h2 = 0x85ebca6b;

  /** Mixes in one number (exact for integers up to 2^53, negative ones included). */
  mix(v: number): void {
    const lo = v >>> 0;
    // Nearly every value fits in 32 bits: no division for them.
    const hi = v >= 0 && v < 4294967296 ? 0 : Math.floor(v / 4294967296) >>> 0;
    this.h1 = Math.imul(rotl(this.h1 ^ Math.imul(lo, 0xcc9e2d51), 15), 0x1b873593) ^ hi;
    this.h2 = Math.imul(rotl(this.h2 ^ Math.imul(lo ^ this.h1, 0x85ebca6b), 13), 0xc2b2ae35) + hi;
  }

  /** A string's id: 1, 2, … in the order strings are first seen. */
  intern(s: string): number {
    let n = this.interned.get(s);
    if (n === undefined) this.interned.set(s, (n = this.interned.size + 1));
    return n;
  }

  /** The digest so far, 16 hex digits. */
  get hex(): string {
    const a = fmix(this.h1 ^ Math.imul(this.h2, 0x27d4eb2f));
    const b = fmix(this.h2 ^ Math.imul(a, 0x165667b1));
    return (b >>> 0).toString(16).padStart(8, '0') + (a >>> 0).toString(16).padStart(8, '0');
  }
}
