/**
 * The Linux TCP timers that decide what a lost packet costs. A lost SYN is not a failure but a one-second
 * wait; a lost data segment costs at least 200 ms; only a partition that outlasts the retransmissions (or
 * the caller's own connect timeout, e.g. Envoy's) turns into an error.
 *
 * Values from include/net/tcp.h (torvalds/linux): `TCP_TIMEOUT_INIT` (1 s, "RFC6298 2.1 initial RTO
 * value"), `TCP_RTO_MIN` (HZ/5 = 200 ms), `TCP_RTO_MAX` (120 s), `TCP_SYN_RETRIES` (6: a connect gives up
 * after 1+2+4+…+64 = 127 s), `TCP_RETR2` (15). Each retransmission doubles the timeout
 * (net/ipv4/tcp_timer.c, `tcp_retransmit_timer`), capped at `TCP_RTO_MAX`.
 */
import { MILLISECOND, SECOND, type Duration } from '../../engine/time.js';

/** Linux TCP timer constants (µs). */
export const TCP = {
  /** Initial retransmission timeout of a SYN (`TCP_TIMEOUT_INIT`). */
  timeoutInit: 1 * SECOND,
  /** Lower bound of the data retransmission timeout (`TCP_RTO_MIN`); on low-RTT links it is the RTO. */
  rtoMin: 200 * MILLISECOND,
  /** Upper bound of any retransmission timeout (`TCP_RTO_MAX`). */
  rtoMax: 120 * SECOND,
  /** SYN retransmissions before connect() fails (`net.ipv4.tcp_syn_retries`, default 6). */
  synRetries: 6,
  /** Data retransmissions before the connection is dropped (`net.ipv4.tcp_retries2`, default 15). */
  retries2: 15,
} as const;

/**
 * Time from the first transmission to retransmission number `k` (k ≥ 1) with initial timeout `rto`:
 * rto·(2^k − 1), each step capped at {@link TCP.rtoMax}.
 */
export function retransmitOffset(k: number, rto: Duration): Duration {
  let t = 0;
  let step = rto;
  for (let i = 0; i < k; i++) {
    t += step;
    step = Math.min(step * 2, TCP.rtoMax);
  }
  return t;
}
