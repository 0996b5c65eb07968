/**
 * Small deterministic hashes used to derive names and addresses from stable keys (never from chance):
 * FNV-1a 32 (the hash Kubernetes' `controller.ComputeHash` uses for `pod-template-hash`) and the
 * "safe" alphabet of `k8s.io/apimachinery/pkg/util/rand` (no vowels, no confusable characters).
 */

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text` (Go's `hash/fnv.New32a`). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return fnv1a32Bytes(UTF8.encode(text)); // rare: non-ASCII keys
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

const UTF8 = new TextEncoder();

function fnv1a32Bytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

/** The alphabet of `k8s.io/apimachinery/pkg/util/rand`: `bcdfghjklmnpqrstvwxz2456789`. */
export const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * `rand.SafeEncodeString`: maps every character of `s` to `SAFE_ALPHANUMS[code % 27]`. Kubernetes applies it
 * to the decimal form of the FNV hash to make `pod-template-hash` (e.g. `7fc7f5758`).
 */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

/**
 * `n` characters of {@link SAFE_ALPHANUMS} derived from `key` — where Kubernetes draws the 5-character pod
 * name suffix at random (`utilrand.String(5)` in the ReplicaSet controller), meshsim derives it from the
 * ReplicaSet name and replica index so the same manifests always give the same pod names.
 */
export function safeSuffix(key: string, n = 5): string {
  let out = '';
  let h = fnv1a32(key);
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % 4 === 0) h = fnv1a32(`${key}#${i}`);
    out += SAFE_ALPHANUMS[h % SAFE_ALPHANUMS.length];
    h = Math.floor(h / SAFE_ALPHANUMS.length);
  }
  return out;
}

/** JSON with object keys sorted at every level: a canonical form to hash or compare. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
