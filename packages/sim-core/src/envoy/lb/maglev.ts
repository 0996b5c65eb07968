/**
 * MAGLEV: a lookup table of `table_size` (prime, default 65537) slots filled from per-host permutations
 * (`offset = xxHash64(key) % size`, `skip = xxHash64(key, 1) % (size − 1) + 1`), hosts taking turns in
 * proportion to their weight; a request's hash picks `table[hash % size]`. Host-selection retries flip the
 * hash (`hash ^= 2^64 − attempt`). Mirrors `MaglevTable` / `OriginalMaglevTable` (envoyproxy/envoy
 * source/extensions/load_balancing_policies/maglev/maglev_lb.cc).
 */
import { ConfigError } from '../../errors.js';
import { uint64Value, type MaglevLbConfig } from '../config/cluster.js';
import type { Host } from '../upstream/host.js';
import { xxHash64 } from './hash.js';
import {
  hostHashKey,
  ThreadAwareLoadBalancerBase,
  type HashingLoadBalancer,
  type NormalizedHostWeight,
  type ThreadAwareOptions,
} from './threadAwareLb.js';

/** The table size recommended by the Maglev paper and used by Envoy. */
export const DEFAULT_MAGLEV_TABLE_SIZE = 65537;

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

interface BuildEntry {
  readonly host: Host;
  readonly offset: number;
  readonly skip: number;
  readonly weight: number;
  targetWeight: number;
  next: number;
  count: number;
}

/** A built Maglev table. */
export class MaglevTable implements HashingLoadBalancer {
  readonly table: readonly Host[];
  readonly tableSize: number;
  /** `maglev_lb.min_entries_per_host` / `max_entries_per_host`. */
  readonly stats: { min_entries_per_host: number; max_entries_per_host: number };

  constructor(weights: readonly NormalizedHostWeight[], maxWeight: number, tableSize: number, useHostname: boolean) {
    this.tableSize = tableSize;
    if (weights.length === 0) {
      this.table = [];
      this.stats = { min_entries_per_host: 0, max_entries_per_host: 0 };
      return;
    }
    // Stable order by hash key: table contents must not depend on EDS order.
    const sorted = weights
      .map(([host, weight]) => ({ key: hostHashKey(host, useHostname), host, weight }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const size = BigInt(tableSize);
    const entries: BuildEntry[] = sorted.map(({ key, host, weight }) => ({
      host,
      offset: Number(xxHash64(key) % size),
      skip: Number(xxHash64(key, 1n) % (size - 1n)) + 1,
      weight,
      targetWeight: 0,
      next: 0,
      count: 0,
    }));
    const table: (Host | undefined)[] = new Array<Host | undefined>(tableSize);
    const permutation = (e: BuildEntry): number => (e.offset + e.skip * e.next) % tableSize;
    let filled = 0;
    for (let iteration = 1; filled < tableSize; iteration++) {
      for (let i = 0; i < entries.length && filled < tableSize; i++) {
        const e = entries[i] as BuildEntry;
        // A host of maximum weight goes every iteration, one of a third of it every third iteration.
        if (iteration * e.weight < e.targetWeight) continue;
        e.targetWeight += maxWeight;
        let c = permutation(e);
        while (table[c] !== undefined) {
          e.next++;
          c = permutation(e);
        }
        table[c] = e.host;
        e.next++;
        e.count++;
        filled++;
      }
    }
    this.table = table as Host[];
    let min = tableSize;
    let max = 0;
    for (const e of entries) {
      min = Math.min(e.count, min);
      max = Math.max(e.count, max);
    }
    this.stats = { min_entries_per_host: min, max_entries_per_host: max };
  }

  /** `chooseHost(hash, attempt)`. */
  chooseHost(hash: bigint, attempt: number): Host | null {
    if (this.table.length === 0) return null;
    let h = hash;
    if (attempt > 0) h ^= (1n << 64n) - BigInt(attempt);
    return this.table[Number(h % BigInt(this.tableSize))] ?? null;
  }
}

/** Options of {@link MaglevLoadBalancer}. */
export interface MaglevOptions extends ThreadAwareOptions {
  readonly config?: MaglevLbConfig;
}

/** The MAGLEV load balancer. */
export class MaglevLoadBalancer extends ThreadAwareLoadBalancerBase {
  readonly tableSize: number;

  constructor(options: MaglevOptions) {
    super(options);
    this.tableSize = uint64Value(options.config?.tableSize, DEFAULT_MAGLEV_TABLE_SIZE);
    if (!isPrime(this.tableSize)) {
      throw new ConfigError('The table size of maglev must be prime number', { field: 'maglevLbConfig.tableSize' });
    }
    this.initialize();
  }

  protected createLoadBalancer(
    weights: readonly NormalizedHostWeight[],
    _minWeight: number,
    maxWeight: number,
  ): HashingLoadBalancer {
    return new MaglevTable(weights, maxWeight, this.tableSize, this.useHostnameForHashing);
  }

  /** The table currently used for `priority` (for inspection and tests). */
  table(priority: number): MaglevTable | undefined {
    const lb = this.hashingLoadBalancer(priority);
    return lb instanceof MaglevTable ? lb : undefined;
  }
}
