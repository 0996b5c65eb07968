/**
 * Validation of an {@link AppBehaviour} into the ready-to-run form a replica uses: defaults filled in,
 * distributions compiled, probabilities turned into cumulative thresholds. Bad input is a
 * {@link ConfigError} naming the field, thrown before simulated time 0.
 */
import { ConfigError, type SourceLocation } from '../../errors.js';
import type { Duration } from '../../engine/time.js';
import {
  DEFAULT_PROPAGATED_HEADERS,
  type AppBehaviour,
  type CallStep,
  type DownstreamCallSpec,
  type OnCallFailure,
  type OverloadBehaviour,
} from './appSpec.js';
import { compileDistribution, type Distribution } from './distribution.js';

/** A downstream call, validated. */
export interface CompiledCall {
  readonly name: string;
  readonly authority: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBytes: number;
  readonly timeout: Duration | undefined;
  readonly attempts: number;
  readonly onFailure: OnCallFailure;
}

/** A handler step, validated. */
export type CompiledStep =
  | { readonly kind: 'call'; readonly calls: readonly [CompiledCall] }
  | { readonly kind: 'parallel'; readonly calls: readonly CompiledCall[] }
  | { readonly kind: 'compute'; readonly time: Distribution };

/** An {@link AppBehaviour} with every default applied. */
export interface CompiledBehaviour {
  readonly serviceTime: Distribution;
  readonly status: number;
  readonly responseBytes: number;
  /** Reset probability; a uniform draw below it resets. */
  readonly resetThreshold: number;
  /** Error answers with cumulative thresholds (`upTo` includes the reset probability). */
  readonly errors: readonly { readonly status: number; readonly bodyBytes: number; readonly upTo: number }[];
  readonly concurrency: number;
  readonly queueLimit: number;
  readonly overload: OverloadBehaviour;
  readonly steps: readonly CompiledStep[];
  readonly propagateHeaders: readonly string[];
}

const at = (where: SourceLocation, field: string): SourceLocation => ({
  ...where,
  field:
    where.field === undefined ? field : field.startsWith('[') ? `${where.field}${field}` : `${where.field}.${field}`,
});

function need(ok: boolean, message: string, where: SourceLocation): asserts ok {
  if (!ok) throw new ConfigError(message, where, 'app');
}

const isStatus = (s: unknown): s is number => Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599;
const isProbability = (p: unknown): p is number => typeof p === 'number' && p >= 0 && p <= 1;
const isCount = (n: unknown): n is number => n === Infinity || (Number.isInteger(n) && (n as number) >= 0);

/** Validates `b` (the behaviour of one replica, after {@link resolveReplica}) and fills in defaults. */
export function compileBehaviour(b: AppBehaviour, where: SourceLocation = {}): CompiledBehaviour {
  const status = b.status ?? 200;
  need(isStatus(status), `status must be an HTTP status code 100–599, got ${b.status}`, at(where, 'status'));
  const responseBytes = b.responseBytes ?? 0;
  need(
    Number.isInteger(responseBytes) && responseBytes >= 0,
    `responseBytes must be an integer ≥ 0, got ${b.responseBytes}`,
    at(where, 'responseBytes'),
  );
  const reset = b.resetProbability ?? 0;
  need(
    isProbability(reset),
    `resetProbability must be in [0, 1], got ${b.resetProbability}`,
    at(where, 'resetProbability'),
  );
  let upTo = reset;
  const errors = (b.errors ?? []).map((e, i) => {
    const here = at(where, `errors[${i}]`);
    need(isStatus(e.status), `status must be an HTTP status code 100–599, got ${e.status}`, at(here, 'status'));
    need(isProbability(e.probability), `probability must be in [0, 1], got ${e.probability}`, at(here, 'probability'));
    const bodyBytes = e.bodyBytes ?? 0;
    need(
      Number.isInteger(bodyBytes) && bodyBytes >= 0,
      `bodyBytes must be an integer ≥ 0, got ${e.bodyBytes}`,
      at(here, 'bodyBytes'),
    );
    upTo += e.probability;
    return { status: e.status, bodyBytes, upTo };
  });
  need(
    upTo <= 1 + 1e-12,
    `resetProbability plus the error probabilities must not exceed 1 (they sum to ${upTo})`,
    at(where, 'errors'),
  );
  const concurrency = b.concurrency ?? Infinity;
  need(
    isCount(concurrency) && concurrency >= 1,
    `concurrency must be an integer ≥ 1, got ${b.concurrency}`,
    at(where, 'concurrency'),
  );
  const queueLimit = b.queueLimit ?? Infinity;
  need(isCount(queueLimit), `queueLimit must be an integer ≥ 0, got ${b.queueLimit}`, at(where, 'queueLimit'));
  const overload = b.overload ?? { status: 503 };
  need(
    overload === 'reset' || isStatus(overload.status),
    `overload must be 'reset' or { status } with an HTTP status code`,
    at(where, 'overload'),
  );
  const propagateHeaders = (b.propagateHeaders ?? DEFAULT_PROPAGATED_HEADERS).map((h) => h.toLowerCase());
  return {
    serviceTime: compileDistribution(b.serviceTime ?? { kind: 'constant', value: 0 }, at(where, 'serviceTime')),
    status,
    responseBytes,
    resetThreshold: reset,
    errors,
    concurrency,
    queueLimit,
    overload,
    steps: (b.calls ?? []).map((step, i) => compileStep(step, at(where, `calls[${i}]`))),
    propagateHeaders,
  };
}

function compileStep(step: CallStep, where: SourceLocation): CompiledStep {
  switch (step.kind) {
    case 'call':
      return { kind: 'call', calls: [compileCall(step.call, at(where, 'call'))] };
    case 'parallel':
      need(
        Array.isArray(step.calls) && step.calls.length > 0,
        'a parallel step needs at least one call',
        at(where, 'calls'),
      );
      return { kind: 'parallel', calls: step.calls.map((c, i) => compileCall(c, at(where, `calls[${i}]`))) };
    case 'compute':
      return { kind: 'compute', time: compileDistribution(step.time, at(where, 'time')) };
    default:
      throw new ConfigError(
        `unknown step kind ${JSON.stringify((step as { kind: unknown }).kind)} (use call, parallel or compute)`,
        at(where, 'kind'),
        'app',
      );
  }
}

function compileCall(c: DownstreamCallSpec, where: SourceLocation): CompiledCall {
  need(
    typeof c.authority === 'string' && c.authority !== '',
    'authority (host[:port]) is required',
    at(where, 'authority'),
  );
  need(
    typeof c.path === 'string' && c.path.startsWith('/'),
    `path must start with "/", got ${JSON.stringify(c.path)}`,
    at(where, 'path'),
  );
  const attempts = c.attempts ?? 1;
  need(
    Number.isInteger(attempts) && attempts >= 1,
    `attempts must be an integer ≥ 1, got ${c.attempts}`,
    at(where, 'attempts'),
  );
  need(
    c.timeout === undefined || (Number.isInteger(c.timeout) && c.timeout > 0),
    `timeout must be a positive whole number of µs, got ${c.timeout}`,
    at(where, 'timeout'),
  );
  const bodyBytes = c.bodyBytes ?? 0;
  need(
    Number.isInteger(bodyBytes) && bodyBytes >= 0,
    `bodyBytes must be an integer ≥ 0, got ${c.bodyBytes}`,
    at(where, 'bodyBytes'),
  );
  const onFailure = c.onFailure ?? 'propagate';
  need(
    onFailure === 'ignore' ||
      onFailure === 'propagate' ||
      (typeof onFailure === 'object' && isStatus(onFailure.status)),
    `onFailure must be 'ignore', 'propagate' or { status }`,
    at(where, 'onFailure'),
  );
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    name: c.name ?? `${c.authority}${c.path}`,
    authority: c.authority,
    method: c.method ?? 'GET',
    path: c.path,
    headers,
    bodyBytes,
    timeout: c.timeout,
    attempts,
    onFailure,
  };
}
