import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadManifests } from '../load/loadManifests.js';

const deployment = (extra: Record<string, unknown> = {}, labels: Record<string, string> = { app: 'web' }) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx',
            ports: [{ containerPort: 80, name: 'http' }],
            resources: { limits: { cpu: 1, memory: '64Mi' } },
            ...extra,
          },
        ],
      },
    },
  },
});
const errorsOf = (o: unknown): string[] =>
  loadManifests([{ file: 'd.yaml', text: stringify(o) }]).errors.map((e) => `${e.location.field}: ${e.detail}`);

describe('validateKubeObject()', () => {
  it('accepts a Deployment, with quantities written as numbers', () => expect(errorsOf(deployment())).toEqual([]));

  // No field of a Kubernetes Container starts with "x", so every such name is unknown.
  test.prop([fc.stringMatching(/^x[A-Z][a-zA-Z]{0,10}$/), fc.jsonValue({ maxDepth: 2 })])(
    'an unknown container field is exactly one strict-decoding error',
    (field, value) => {
      fc.pre(value !== null);
      const path = `spec.template.spec.containers[0].${field}`;
      expect(errorsOf(deployment({ [field]: value }))).toEqual([`${path}: unknown field "${path}"`]);
    },
  );

  test.prop([
    fc.dictionary(fc.constantFrom('app', 'tier', 'version'), fc.constantFrom('web', 'api', 'v1'), { maxKeys: 3 }),
  ])('a Deployment is refused exactly when its selector does not match the template labels', (labels) => {
    const errors = errorsOf(deployment({}, labels));
    expect(errors.some((e) => e.includes('`selector` does not match template `labels`'))).toBe(labels['app'] !== 'web');
  });
});
