import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  portNameErrors,
  qualifiedNameErrors,
} from './names.js';

const lower = 'abcdefghijklmnopqrstuvwxyz';
const alnum = `${lower}0123456789`;
const chars = (set: string, max: number) =>
  fc.array(fc.constantFrom(...set), { maxLength: max }).map((a) => a.join(''));

// Independent definition of an RFC 1123 label: 1–63 of [a-z0-9-], alphanumeric at both ends.
const isLabel = (s: string): boolean =>
  s.length >= 1 &&
  s.length <= 63 &&
  [...s].every((c) => alnum.includes(c) || c === '-') &&
  alnum.includes(s[0] ?? '-') &&
  alnum.includes(s[s.length - 1] ?? '-');

describe('Kubernetes name syntax', () => {
  test.prop([chars(`${alnum}-_.A`, 70)])('dns1123LabelErrors() agrees with RFC 1123', (s) => {
    expect(dns1123LabelErrors(s).length === 0).toBe(isLabel(s));
  });

  test.prop([fc.array(chars(`${alnum}-`, 20), { minLength: 1, maxLength: 5 })])(
    'a subdomain is labels joined by dots',
    (labels) => {
      const s = labels.join('.');
      expect(dns1123SubdomainErrors(s).length === 0).toBe(labels.every(isLabel) && s.length <= 253);
    },
  );

  it.each([
    ['reviews', true],
    ['1reviews', false], // DNS-1035: Service names start with a letter
    ['Reviews', false],
  ])('dns1035LabelErrors(%j) valid: %s', (s, ok) => expect(dns1035LabelErrors(s).length === 0).toBe(ok));

  it.each([
    ['app', true],
    ['app.kubernetes.io/name', true],
    ['sidecar.istio.io/inject', true],
    ['-app', false],
    ['a/b/c', false],
    ['Example.com/x', false], // the prefix is a lowercase subdomain
  ])('qualifiedNameErrors(%j) valid: %s', (s, ok) => expect(qualifiedNameErrors(s).length === 0).toBe(ok));

  it.each([
    ['', true],
    ['v1', true],
    ['my_value.2', true],
    ['-x', false],
    ['a'.repeat(64), false],
  ])('labelValueErrors(%j) valid: %s', (s, ok) => expect(labelValueErrors(s).length === 0).toBe(ok));

  it.each([
    ['http', true],
    ['http-web', true],
    ['http_web', false],
    ['8080', false], // needs a letter
    ['http--web', false],
    ['very-long-port-name', false], // > 15
  ])('portNameErrors(%j) valid: %s', (s, ok) => expect(portNameErrors(s).length === 0).toBe(ok));
});
