/**
 * Closed-form results of queueing theory that an app model must reproduce — used by meshsim's own sanity
 * tests and handy for checking a scenario's numbers by hand. Rates are per µs, times in µs.
 */

/**
 * Erlang's C formula: the probability that an arriving request must wait in an M/M/c queue with `c`
 * servers and offered load `a = λ/μ` (requires `a < c`). Computed with the stable Erlang-B recurrence
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), then C = c·B / (c − a·(1 − B)).
 */
export function erlangC(c: number, a: number): number {
  if (!(Number.isInteger(c) && c >= 1)) throw new RangeError(`erlangC: c must be an integer ≥ 1, got ${c}`);
  if (!(a >= 0 && a < c)) throw new RangeError(`erlangC: need 0 ≤ a < c for a stable queue, got a=${a}, c=${c}`);
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return (c * b) / (c - a * (1 - b));
}

/**
 * Mean response time (wait + service) of an M/M/c queue: W = C(c, λ/μ) / (cμ − λ) + 1/μ, with arrival rate
 * `lambda` and per-server service rate `mu`.
 */
export function mmcMeanResponseTime(lambda: number, mu: number, c: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda) + 1 / mu;
}

/** Mean response time of an M/M/1 queue: W = 1 / (μ − λ). */
export function mm1MeanResponseTime(lambda: number, mu: number): number {
  if (!(lambda >= 0 && lambda < mu)) throw new RangeError(`mm1: need 0 ≤ λ < μ, got λ=${lambda}, μ=${mu}`);
  return 1 / (mu - lambda);
}

/**
 * Mean response time of an M/D/1 queue (constant service time `d`), by the Pollaczek–Khinchine formula:
 * W = d + ρ·d / (2(1 − ρ)) with ρ = λ·d.
 */
export function md1MeanResponseTime(lambda: number, d: number): number {
  const rho = lambda * d;
  if (!(rho >= 0 && rho < 1)) throw new RangeError(`md1: need 0 ≤ λ·d < 1, got ${rho}`);
  return d + (rho * d) / (2 * (1 - rho));
}
