/**
 * Deterministic address allocation. Real allocators (kube-apiserver's ClusterIP allocator, the CNI's
 * host-local IPAM, istiod's auto-allocation controller) depend on the order objects are created in; meshsim
 * must not depend on document order, and a what-if edit should not renumber unrelated objects. So an owner
 * is placed by a hash of its stable key, probing linearly past taken slots; owners are placed in sorted key
 * order, so collisions resolve the same way every time.
 */
import { fnv1a32 } from '../hash.js';
import { cidrAddress, cidrContains, cidrSize, formatIPv4, parseIPv4, type Cidr } from './ipv4.js';

/** A pool of addresses inside a CIDR, some reserved. */
export class AddressPool {
  private readonly used = new Map<number, string>();
  private readonly first: number;
  private readonly count: number;

  /**
   * @param cidr - the block to allocate from.
   * @param skipLow - addresses at the start of the block never handed out (network address, gateway…).
   * @param skipHigh - addresses at the end never handed out (broadcast…).
   */
  constructor(
    readonly cidr: Cidr,
    skipLow = 1,
    skipHigh = 1,
  ) {
    this.first = skipLow;
    this.count = Math.max(0, cidrSize(cidr) - skipLow - skipHigh);
  }

  /** Marks `address` as taken by `owner`. Returns the previous owner when it was already taken by another. */
  reserve(address: string, owner: string): string | undefined {
    const n = parseIPv4(address);
    if (n === undefined) return undefined;
    const prev = this.used.get(n);
    if (prev !== undefined && prev !== owner) return prev;
    this.used.set(n, owner);
    return undefined;
  }

  /** True when the block contains `address`. */
  contains(address: string): boolean {
    const n = parseIPv4(address);
    return n !== undefined && cidrContains(this.cidr, n);
  }

  /** Free addresses left. */
  get free(): number {
    let inRange = 0;
    for (const n of this.used.keys()) {
      const i = n - this.cidr.network;
      if (i >= this.first && i < this.first + this.count) inRange++;
    }
    return this.count - inRange;
  }

  /** An address for `key`: its hash slot, or the next free one after it. `undefined` when the pool is full. */
  allocate(key: string): string | undefined {
    if (this.count === 0) return undefined;
    const start = fnv1a32(key) % this.count;
    for (let probe = 0; probe < this.count; probe++) {
      const n = cidrAddress(this.cidr, this.first + ((start + probe) % this.count));
      if (!this.used.has(n)) {
        this.used.set(n, key);
        return formatIPv4(n);
      }
    }
    return undefined;
  }
}
