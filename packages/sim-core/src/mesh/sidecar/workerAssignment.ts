/**
 * Which Envoy worker thread a new downstream connection lands on. Envoy's workers each accept on their own
 * socket of a listener and "rely on the kernel to perform adequate balancing between threads" (Envoy docs,
 * intro/arch_overview/intro/threading_model: listener connection balancing); with `SO_REUSEPORT` (Envoy's
 * `enable_reuse_port`, on by default on Linux) the kernel picks the socket by a hash of the connection's
 * 4-tuple salted with a boot-time secret (torvalds/linux net/core/sock_reuseport.c `reuseport_select_sock`:
 * `reciprocal_scale(hash, socks)`, hash from `inet_ehashfn`). Seen from outside, each connection goes to a
 * uniformly random worker, independently — which is what makes per-worker round robin uneven. Istio opts a
 * proxy into Envoy's exact balancer (the worker with the fewest connections) with the proxy metadata
 * `INBOUND_LISTENER_EXACT_BALANCE` / `OUTBOUND_LISTENER_EXACT_BALANCE` (istio/istio
 * pilot/pkg/networking/core/listener_builder.go, `ConnectionBalanceConfig_ExactBalance`).
 *
 * Randomness: `reuseport/<proxy>/<direction>`, one draw per new connection.
 */
import type { RandomSource } from '../../engine/rng.js';

/** How connections are spread over workers. */
export type ConnectionBalance = 'kernel' | 'exact';

/** Assigns connections of one listener side (inbound or outbound) of one proxy to workers. */
export class WorkerAssignment {
  readonly workers: number;
  readonly balance: ConnectionBalance;
  private readonly random: RandomSource;
  private readonly open: number[];

  constructor(workers: number, random: RandomSource, balance: ConnectionBalance = 'kernel') {
    this.workers = Math.max(1, Math.floor(workers));
    this.random = random;
    this.balance = balance;
    this.open = new Array<number>(this.workers).fill(0);
  }

  /** The worker of a new connection (one draw with the kernel's hashing; none with one worker). */
  accept(): number {
    let w = 0;
    if (this.workers > 1) {
      if (this.balance === 'exact') {
        for (let i = 1; i < this.workers; i++) if ((this.open[i] as number) < (this.open[w] as number)) w = i;
      } else {
        w = this.random.random() % this.workers;
      }
    }
    this.open[w] = (this.open[w] as number) + 1;
    return w;
  }

  /** A connection of `worker` closed. */
  close(worker: number): void {
    if ((this.open[worker] ?? 0) > 0) this.open[worker] = (this.open[worker] as number) - 1;
  }

  /** Open connections per worker. */
  get connections(): readonly number[] {
    return this.open;
  }
}
