import { fc, test } from '@fast-check/vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabelSelector, Labels } from '../../../k8s/labels.js';
import { DEFAULT_INJECTION_CONFIG, type InjectionConfig } from './config.js';
import { injectionDecision, injectRequired } from './injectRequired.js';

const testdata = (f: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, 'testdata', f), 'utf8'));

interface RequiredCase {
  name: string;
  policy: string;
  labels: Labels;
  annotations: Labels;
  hostNetwork: boolean;
  alwaysInjectSelector?: LabelSelector[];
  neverInjectSelector?: LabelSelector[];
  want: boolean;
}

interface WebhookCase {
  name: string;
  namespace: string;
  namespaceLabels: Labels;
  labels: Labels;
  annotations: Labels;
  hostNetwork: boolean;
  enableNamespacesByDefault: boolean;
  want: boolean;
  webhook?: string;
}

describe('injectRequired() — Istio TestInjectRequired table', () => {
  const { cases } = testdata('injectRequired.cases.json') as { cases: RequiredCase[] };
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = injectRequired(
      { namespace: 'test-namespace', labels: c.labels, annotations: c.annotations, hostNetwork: c.hostNetwork },
      {
        policy: c.policy as InjectionConfig['policy'],
        alwaysInjectSelector: c.alwaysInjectSelector ?? [],
        neverInjectSelector: c.neverInjectSelector ?? [],
      },
    );
    expect(got.required).toBe(c.want);
  });
});

describe('injectionDecision() — documented namespace/pod label rules and webhook selectors', () => {
  const { cases } = testdata('webhook.cases.json') as { cases: WebhookCase[] };
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const nsLabels = { ...c.namespaceLabels, 'kubernetes.io/metadata.name': c.namespace };
    const got = injectionDecision(
      { namespace: c.namespace, labels: c.labels, annotations: c.annotations, hostNetwork: c.hostNetwork },
      nsLabels,
      { ...DEFAULT_INJECTION_CONFIG, enableNamespacesByDefault: c.enableNamespacesByDefault },
    );
    expect(got.inject).toBe(c.want);
    expect(got.webhook).toBe(c.webhook);
  });
});

// The documented rules (istio.io "Controlling the injection policy"), written independently of the
// implementation, for labels only: 1. either label disabled → no; 2. either enabled → yes; 3. neither →
// enableNamespacesByDefault. A namespace label other than enabled/disabled matches no webhook.

// istiod also never injects into the Kubernetes system namespaces (`IgnoredNamespaces`).
function documentedRule(ns: string | undefined, pod: string | undefined, byDefault: boolean, nsName: string): boolean {
  if (['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'].includes(nsName)) return false;
  if (ns === 'disabled' || pod === 'false') return false;
  if (ns !== undefined && ns !== 'enabled') return false;
  if (ns === 'enabled') return true;
  if (pod === 'true') return true;
  if (pod !== undefined) return false; // an invalid value matches neither `object` nor `auto`
  return byDefault;
}

describe('injectionDecision() properties', () => {
  const labelValue = fc.option(fc.constantFrom('enabled', 'disabled', 'true', 'false', 'yes', ''), { nil: undefined });
  test.prop([
    labelValue,
    fc.option(fc.constantFrom('true', 'false', 'random'), { nil: undefined }),
    fc.boolean(),
    fc.constantFrom('app', 'kube-system', 'local-path-storage'),
  ])('matches the documented label rules', (ns, pod, byDefault, nsName) => {
    const nsLabels: Record<string, string> = { 'kubernetes.io/metadata.name': nsName };
    if (ns !== undefined) nsLabels['istio-injection'] = ns;
    const labels: Record<string, string> = pod === undefined ? {} : { 'sidecar.istio.io/inject': pod };
    const got = injectionDecision({ namespace: nsName, labels, annotations: {}, hostNetwork: false }, nsLabels, {
      ...DEFAULT_INJECTION_CONFIG,
      enableNamespacesByDefault: byDefault,
    });
    expect(got.inject).toBe(documentedRule(ns, pod, byDefault, nsName));
  });

  test.prop([
    fc.dictionary(
      fc.constantFrom('istio-injection', 'istio.io/rev', 'sidecar.istio.io/inject', 'app'),
      fc.constantFrom('enabled', 'true', 'default', 'x'),
    ),
    fc.boolean(),
  ])('a hostNetwork pod is never injected', (labels, byDefault) => {
    const got = injectionDecision({ namespace: 'app', labels, annotations: {}, hostNetwork: true }, labels, {
      ...DEFAULT_INJECTION_CONFIG,
      enableNamespacesByDefault: byDefault,
    });
    expect(got.inject).toBe(false);
  });
});
