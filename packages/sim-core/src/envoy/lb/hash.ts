/**
 * The 64-bit hashes Envoy's consistent-hash load balancers use, as unsigned 64-bit `bigint`s:
 * `HashUtil::xxHash64(key, seed = 0)` (XXH64) and `MurmurHash::murmurHash2(key, seed)` (the 64-bit
 * MurmurHash2 of libstdc++'s `_Hash_bytes`) from envoyproxy/envoy source/common/common/hash.{h,cc}.
 * Strings are hashed as their UTF-8 bytes. Verified against the ring positions Envoy's own tests print.
 */

const MASK64 = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const encoder = new TextEncoder();

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK64;

function readU64(b: Uint8Array, i: number): bigint {
  const lo =
    (b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24);
  const hi =
    (b[i + 4] as number) | ((b[i + 5] as number) << 8) | ((b[i + 6] as number) << 16) | ((b[i + 7] as number) << 24);
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function readU32(b: Uint8Array, i: number): bigint {
  return BigInt(
    ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24)) >>>
      0,
  );
}

function round(acc: bigint, input: bigint): bigint {
  return (rotl((acc + input * P2) & MASK64, 31n) * P1) & MASK64;
}

function mergeRound(acc: bigint, val: bigint): bigint {
  return (((acc ^ round(0n, val)) * P1) & MASK64) + P4;
}

/** XXH64 of `input` with `seed` (Envoy's `HashUtil::xxHash64`). */
export function xxHash64(input: string | Uint8Array, seed: bigint = 0n): bigint {
  const b = typeof input === 'string' ? encoder.encode(input) : input;
  const len = b.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & MASK64;
    let v2 = (seed + P2) & MASK64;
    let v3 = seed & MASK64;
    let v4 = (seed - P1) & MASK64;
    for (; i + 32 <= len; i += 32) {
      v1 = round(v1, readU64(b, i));
      v2 = round(v2, readU64(b, i + 8));
      v3 = round(v3, readU64(b, i + 16));
      v4 = round(v4, readU64(b, i + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK64;
    h = mergeRound(h, v1) & MASK64;
    h = mergeRound(h, v2) & MASK64;
    h = mergeRound(h, v3) & MASK64;
    h = mergeRound(h, v4) & MASK64;
  } else {
    h = (seed + P5) & MASK64;
  }
  h = (h + BigInt(len)) & MASK64;
  for (; i + 8 <= len; i += 8) {
    h ^= round(0n, readU64(b, i));
    h = (rotl(h, 27n) * P1 + P4) & MASK64;
  }
  if (i + 4 <= len) {
    h ^= (readU32(b, i) * P1) & MASK64;
    h = (rotl(h, 23n) * P2 + P3) & MASK64;
    i += 4;
  }
  for (; i < len; i++) {
    h ^= (BigInt(b[i] as number) * P5) & MASK64;
    h = (rotl(h, 11n) * P1) & MASK64;
  }
  h ^= h >> 33n;
  h = (h * P2) & MASK64;
  h ^= h >> 29n;
  h = (h * P3) & MASK64;
  h ^= h >> 32n;
  return h;
}

/** `MurmurHash::STD_HASH_SEED`, the seed of `std::hash<std::string>` in libstdc++. */
export const STD_HASH_SEED = 0xc70f6907n;
const MUL = 0xc6a4a7935bd1e995n;
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

/** `MurmurHash::murmurHash2(key, seed)`: 64-bit MurmurHash2 as libstdc++'s `_Hash_bytes`. */
export function murmurHash2(input: string | Uint8Array, seed: bigint = STD_HASH_SEED): bigint {
  const b = typeof input === 'string' ? encoder.encode(input) : input;
  const len = b.length;
  const aligned = len & ~7;
  let h = (seed ^ (BigInt(len) * MUL)) & MASK64;
  for (let i = 0; i < aligned; i += 8) {
    const data = (shiftMix((readU64(b, i) * MUL) & MASK64) * MUL) & MASK64;
    h ^= data;
    h = (h * MUL) & MASK64;
  }
  const rest = len & 7;
  if (rest !== 0) {
    let data = 0n;
    for (let n = rest - 1; n >= 0; n--) data = (data << 8n) + BigInt(b[aligned + n] as number);
    h ^= data;
    h = (h * MUL) & MASK64;
  }
  h = (shiftMix(h) * MUL) & MASK64;
  return shiftMix(h);
}
