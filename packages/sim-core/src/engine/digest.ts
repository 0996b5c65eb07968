/**
 * A stable, incremental 64-bit string hash (two 32-bit lanes with cyrb53's multipliers and finaliser).
 * Integer-only arithmetic, so every machine and JS engine gives the same digest. Not cryptographic: it
 * fingerprints runs for determinism tests and pinned scenario outcomes.
 */
export class Digest {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  /** Feeds a string, then a record separator, so `["ab","c"]` and `["a","bc"]` differ. */
  update(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ 0x1e, 2654435761);
    h2 = Math.imul(h2 ^ 0x1e, 1597334677);
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** The digest so far as 16 lowercase hex digits; feeding more afterwards is allowed. */
  hex(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  }
}

/** Digest of a sequence of strings in order. */
export function digestOf(parts: Iterable<string>): string {
  const d = new Digest();
  for (const p of parts) d.update(p);
  return d.hex();
}
