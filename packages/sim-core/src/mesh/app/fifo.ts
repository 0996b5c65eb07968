/**
 * A first-in first-out queue on a growable ring buffer: O(1) push and shift (an array's `shift()` is O(n)),
 * and memory bounded by the longest the queue has ever been, not by how many items passed through.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(8);
  private head = 0;
  private count = 0;

  /** Number of queued items. */
  get length(): number {
    return this.count;
  }

  /** Appends `item` at the tail. */
  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  /** Removes and returns the head, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined; // let the item be collected
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  /** The head without removing it. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  // Doubles the capacity (kept a power of two so indices wrap with a mask), unrolling the ring.
  private grow(): void {
    const old = this.items;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.items = next;
    this.head = 0;
  }
}
