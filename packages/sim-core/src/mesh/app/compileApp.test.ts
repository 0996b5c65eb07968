import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import type { AppBehaviour } from './appSpec.js';
import { compileBehaviour } from './compileApp.js';

const where = { file: 'bookinfo.yaml', line: 12, kind: 'Workload', object: 'default/reviews', field: 'spec.app' };

describe('compileBehaviour()', () => {
  it('fills in the documented defaults', () => {
    const b = compileBehaviour({});
    expect(b.status).toBe(200);
    expect(b.concurrency).toBe(Infinity);
    expect(b.queueLimit).toBe(Infinity);
    expect(b.overload).toEqual({ status: 503 });
    expect(b.serviceTime.mean).toBe(0);
    expect(b.propagateHeaders).toContain('x-request-id');
    expect(b.propagateHeaders).toContain('end-user');
  });

  it('turns error probabilities into cumulative thresholds after the reset probability', () => {
    const b = compileBehaviour({
      resetProbability: 0.1,
      errors: [
        { status: 500, probability: 0.2 },
        { status: 503, probability: 0.3 },
      ],
    });
    expect(b.resetThreshold).toBe(0.1);
    expect(b.errors.map((e) => e.upTo)).toEqual([0.1 + 0.2, 0.1 + 0.2 + 0.3]);
  });

  it.each<[string, AppBehaviour, string]>([
    ['an impossible status', { status: 99 }, 'spec.app.status'],
    ['probabilities over 1', { resetProbability: 0.5, errors: [{ status: 500, probability: 0.6 }] }, 'spec.app.errors'],
    ['a bad error status', { errors: [{ status: 700, probability: 0.1 }] }, 'spec.app.errors[0].status'],
    ['zero concurrency', { concurrency: 0 }, 'spec.app.concurrency'],
    ['a negative queue limit', { queueLimit: -1 }, 'spec.app.queueLimit'],
    [
      'a call without a leading slash',
      { calls: [{ kind: 'call', call: { authority: 'details:9080', path: 'details' } }] },
      'spec.app.calls[0].call.path',
    ],
    [
      'zero attempts',
      { calls: [{ kind: 'call', call: { authority: 'a', path: '/', attempts: 0 } }] },
      'spec.app.calls[0].call.attempts',
    ],
    ['an empty parallel step', { calls: [{ kind: 'parallel', calls: [] }] }, 'spec.app.calls[0].calls'],
    ['a bad service time', { serviceTime: { kind: 'exponential', mean: -3 } }, 'spec.app.serviceTime.mean'],
  ])('rejects %s with a ConfigError at the field', (_, b, field) => {
    let err: unknown;
    try {
      compileBehaviour(b, where);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).location.field).toBe(field);
    expect((err as ConfigError).message).toMatch(/^bookinfo\.yaml:12: Workload default\/reviews: /);
  });
});
