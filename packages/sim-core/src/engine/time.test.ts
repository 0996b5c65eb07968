import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { formatDuration, HOUR, MILLISECOND, MINUTE, ms, parseDuration, s, SECOND } from './time.js';

describe('parseDuration()', () => {
  it.each([
    ['1.5s', 1_500_000],
    ['250ms', 250_000],
    ['1m', MINUTE],
    ['100us', 100],
    ['100µs', 100],
    ['1h30m', HOUR + 30 * MINUTE],
    ['1h0m0s', HOUR],
    ['0', 0],
    ['0s', 0],
    ['.5s', 500_000],
    ['5.s', 5 * SECOND],
    ['1500ns', 2], // rounded to the nearest microsecond
    ['-2s', -2 * SECOND],
    ['+3ms', 3 * MILLISECOND],
  ])('parses %j as %i µs', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each([
    ['5 seconds', 'unknown unit'],
    ['5', 'missing unit'],
    ['', 'empty'],
    ['s', 'expected a number'],
    ['1.5', 'missing unit'],
    ['1x', 'unknown unit "x"'],
    ['--1s', 'expected a number'],
    ['1s2', 'missing unit'],
  ])('rejects %j with a clear error (%s)', (text, why) => {
    expect(() => parseDuration(text)).toThrow(ConfigError);
    expect(() => parseDuration(text)).toThrow(why);
  });

  it('names the field in the error when told where the value came from', () => {
    expect(() =>
      parseDuration('5 seconds', {
        file: 'vs.yaml',
        line: 12,
        kind: 'VirtualService',
        object: 'default/reviews',
        field: 'spec.http[0].timeout',
      }),
    ).toThrow('vs.yaml:12: VirtualService default/reviews: spec.http[0].timeout: invalid duration "5 seconds"');
  });
});

describe('formatDuration()', () => {
  it.each([
    [0, '0s'],
    [1, '1µs'],
    [999, '999µs'],
    [ms(250), '250ms'],
    [ms(1.5), '1.5ms'],
    [s(1.5), '1.5s'],
    [MINUTE + 30 * SECOND, '1m30s'],
    [HOUR, '1h0m0s'],
    [-ms(2), '-2ms'],
  ])('formats %i µs as %j (Go time.Duration style)', (d, text) => {
    expect(formatDuration(d)).toBe(text);
  });

  test.prop([fc.integer({ min: -(2 ** 40), max: 2 ** 40 })])('parseDuration(formatDuration(d)) === d', (d) => {
    expect(parseDuration(formatDuration(d))).toBe(d);
  });
});
