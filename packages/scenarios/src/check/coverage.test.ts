/**
 * Route coverage counts the match block that routed each request, as the route's provenance records it:
 * istiod builds one Envoy route per match block and drops blocks that do not apply to the listener port or
 * the client (istio/istio pilot/pkg/networking/core/route/route.go `BuildHTTPRoutesForVirtualService`,
 * `TranslateRoute`), so two blocks can become the same Envoy match — re-deriving the block from the match
 * would pick the wrong one.
 */
import { describe, expect, it } from 'vitest';
import { loadMeshModel } from '@meshsim/sim-core';
import { parseRuleTests } from './parse.js';
import { runRuleTests } from './runCheck.js';

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio-injection: enabled } }
---
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: shop }
spec: { selector: { app: reviews }, ports: [{ name: http, port: 80 }, { name: http-alt, port: 8080 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews } }
  template:
    metadata: { labels: { app: reviews } }
    spec: { containers: [{ name: reviews, image: reviews, ports: [{ containerPort: 80 }, { containerPort: 8080 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: sleep, namespace: shop }
spec:
  selector: { matchLabels: { app: sleep } }
  template:
    metadata: { labels: { app: sleep } }
    spec: { containers: [{ name: sleep, image: curlimages/curl }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
    - match:
        - { port: 8080, uri: { prefix: /a } }
        - { uri: { prefix: /a } }
      route: [{ destination: { host: reviews, port: { number: 80 } } }]
    - route: [{ destination: { host: reviews, port: { number: 80 } } }]
`;

describe('routeCoverage()', () => {
  const model = loadMeshModel([{ file: 'mesh.yaml', text: MANIFESTS }]);
  const covered = (tests: string): string[] => {
    const run = runRuleTests(model, [parseRuleTests('rules.yaml', tests)]);
    return run.coverage.rules.filter((r) => r.tests > 0).map((r) => r.field);
  };

  it('counts the match block that routed the request, though another block translates to the same match', () => {
    // On port 80, block 0 (port 8080) is dropped; block 1 becomes the Envoy route `prefix /a`.
    expect(
      covered('tests:\n  - request: {from: sleep.shop, url: "http://reviews/a"}\n    expect: {port: 80}\n'),
    ).toEqual(['spec.http[0].match[1]']);
    // On port 8080 both blocks apply; the first wins.
    expect(
      covered('tests:\n  - request: {from: sleep.shop, url: "http://reviews:8080/a"}\n    expect: {port: 80}\n'),
    ).toEqual(['spec.http[0].match[0]']);
  });

  it('counts an http route without match as one rule', () => {
    expect(
      covered('tests:\n  - request: {from: sleep.shop, url: "http://reviews/b"}\n    expect: {port: 80}\n'),
    ).toEqual(['spec.http[1]']);
  });
});
