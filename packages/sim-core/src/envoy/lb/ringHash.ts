/**
 * RING_HASH (Istio's `consistentHash` default). Hosts are placed on a ring of at least
 * `minimum_ring_size` entries: host i gets about `scale × weight_i` entries keyed `"<address>_<k>"` and
 * hashed with xxHash64 (or MurmurHash2); a request's hash picks the first entry with a hash ≥ it, wrapping
 * round. Host-selection retries step to the next ring entry. Mirrors `RingHashLoadBalancer::Ring`
 * (envoyproxy/envoy source/extensions/load_balancing_policies/ring_hash/ring_hash_lb.cc).
 */
import { ConfigError } from '../../errors.js';
import { uint64Value, type RingHashLbConfig } from '../config/cluster.js';
import type { Host } from '../upstream/host.js';
import { murmurHash2, STD_HASH_SEED, xxHash64 } from './hash.js';
import {
  hostHashKey,
  ThreadAwareLoadBalancerBase,
  type HashingLoadBalancer,
  type NormalizedHostWeight,
  type ThreadAwareOptions,
} from './threadAwareLb.js';

/** Envoy's default `minimum_ring_size`. */
export const DEFAULT_MIN_RING_SIZE = 1024;
/** Envoy's default `maximum_ring_size`. */
export const DEFAULT_MAX_RING_SIZE = 8 * 1024 * 1024;

/** A built hash ring, sorted by hash. */
export class Ring implements HashingLoadBalancer {
  readonly hashes: BigUint64Array;
  readonly hosts: readonly Host[];
  /** `ring_hash_lb.min_hashes_per_host` / `max_hashes_per_host` / `size`. */
  readonly stats: { size: number; min_hashes_per_host: number; max_hashes_per_host: number };

  constructor(
    weights: readonly NormalizedHostWeight[],
    minWeight: number,
    minRingSize: number,
    maxRingSize: number,
    hashFunction: 'XX_HASH' | 'MURMUR_HASH_2',
    useHostname: boolean,
  ) {
    const entries: { hash: bigint; host: Host }[] = [];
    if (weights.length === 0) {
      this.hashes = new BigUint64Array(0);
      this.hosts = [];
      this.stats = { size: 0, min_hashes_per_host: 0, max_hashes_per_host: 0 };
      return;
    }
    // Scale so the lightest host gets a whole number of entries, capped at the maximum ring size.
    const scale = Math.min(Math.ceil(minWeight * minRingSize) / minWeight, maxRingSize);
    const ringSize = Math.ceil(scale);
    let current = 0.0;
    let target = 0.0;
    let minHashes = ringSize;
    let maxHashes = 0;
    for (const [host, w] of weights) {
      const key = `${hostHashKey(host, useHostname)}_`;
      target += scale * w;
      let i = 0;
      while (current < target) {
        const k = key + String(i);
        const hash = hashFunction === 'MURMUR_HASH_2' ? murmurHash2(k, STD_HASH_SEED) : xxHash64(k);
        entries.push({ hash, host });
        i++;
        current++;
      }
      minHashes = Math.min(i, minHashes);
      maxHashes = Math.max(i, maxHashes);
    }
    entries.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    this.hashes = BigUint64Array.from(entries.map((e) => e.hash));
    this.hosts = entries.map((e) => e.host);
    this.stats = { size: ringSize, min_hashes_per_host: minHashes, max_hashes_per_host: maxHashes };
  }

  /**
   * `Ring::chooseHost(h, attempt)`: the ketama binary search for the first entry with hash ≥ h (wrapping to
   * entry 0), then `attempt` entries further on for host-selection retries.
   */
  chooseHost(h: bigint, attempt: number): Host | null {
    const n = this.hashes.length;
    if (n === 0) return null;
    // Signed indices, as in the ketama port: highp can drop below lowp.
    let lowp = 0;
    let highp = n;
    let midp: number;
    for (;;) {
      midp = Math.trunc((lowp + highp) / 2);
      if (midp === n) {
        midp = 0;
        break;
      }
      const midval = this.hashes[midp] as bigint;
      const midval1 = midp === 0 ? 0n : (this.hashes[midp - 1] as bigint);
      if (h <= midval && h > midval1) break;
      if (midval < h) lowp = midp + 1;
      else highp = midp - 1;
      if (lowp > highp) {
        midp = 0;
        break;
      }
    }
    if (attempt > 0) midp = (midp + attempt) % n;
    return this.hosts[midp] ?? null;
  }
}

/** Options of {@link RingHashLoadBalancer}. */
export interface RingHashOptions extends ThreadAwareOptions {
  readonly config?: RingHashLbConfig;
}

/** The RING_HASH load balancer. */
export class RingHashLoadBalancer extends ThreadAwareLoadBalancerBase {
  readonly minRingSize: number;
  readonly maxRingSize: number;
  readonly hashFunction: 'XX_HASH' | 'MURMUR_HASH_2';

  constructor(options: RingHashOptions) {
    super(options);
    this.minRingSize = uint64Value(options.config?.minimumRingSize, DEFAULT_MIN_RING_SIZE);
    this.maxRingSize = uint64Value(options.config?.maximumRingSize, DEFAULT_MAX_RING_SIZE);
    this.hashFunction = options.config?.hashFunction ?? 'XX_HASH';
    if (this.minRingSize > this.maxRingSize) {
      throw new ConfigError(
        `ring hash: minimum_ring_size (${this.minRingSize}) > maximum_ring_size (${this.maxRingSize})`,
        { field: 'ringHashLbConfig.minimumRingSize' },
      );
    }
    this.initialize();
  }

  protected createLoadBalancer(weights: readonly NormalizedHostWeight[], minWeight: number): HashingLoadBalancer {
    return new Ring(
      weights,
      minWeight,
      this.minRingSize,
      this.maxRingSize,
      this.hashFunction,
      this.useHostnameForHashing,
    );
  }

  /** The ring currently used for `priority` (for inspection and tests). */
  ring(priority: number): Ring | undefined {
    const lb = this.hashingLoadBalancer(priority);
    return lb instanceof Ring ? lb : undefined;
  }
}
