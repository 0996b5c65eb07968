/**
 * Netfilter hops from real traversals of the istio-iptables rules sim-core builds for the canary pods.
 * Expected chains are Istio's capture design (istio/istio tools/istio-iptables/pkg/capture/run.go):
 * outbound OUTPUT → ISTIO_OUTPUT → ISTIO_REDIRECT (REDIRECT to 15001), inbound PREROUTING → ISTIO_INBOUND →
 * ISTIO_IN_REDIRECT (to 15006), and the proxy's own traffic (uid 1337) returned uncaptured.
 */
import { fc, test } from '@fast-check/vitest';
import { loadMeshModel, netfilter } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import { canaryExplanation, canaryInputs, clientTraversal, serverTraversal } from '../testdata/canaryFixture.js';
import type { NetfilterHopLike } from './explanationLike.js';
import { netfilterSteps } from './netfilterSteps.js';

const model = loadMeshModel(canaryInputs());
const e = canaryExplanation(model);

describe('netfilterSteps()', () => {
  it('follows the outbound capture: nat OUTPUT → ISTIO_OUTPUT → ISTIO_REDIRECT, redirected to 15001', () => {
    const steps = netfilterSteps(clientTraversal(model, e.call.destinationAddress, 80), 'client-netfilter');
    expect(steps.map((s) => s.label.replace(/ #\d+$/, ''))).toEqual([
      'nat OUTPUT',
      'nat ISTIO_OUTPUT',
      'nat ISTIO_REDIRECT',
    ]);
    expect(steps.every((s) => s.lane === 'client-netfilter' && s.stage === 'netfilter')).toBe(true);
    expect(steps[2]?.detail).toMatch(/REDIRECT --to-ports 15001/);
    expect(steps[2]?.detail).toMatch(/handed to Envoy on port 15001$/);
    // The rules ISTIO_OUTPUT skipped before its jump are kept as notes, not hops.
    expect(steps[1]?.notes?.some((n) => n.includes('--uid-owner 1337'))).toBe(true);
  });

  it('follows the inbound capture: nat PREROUTING → ISTIO_INBOUND → ISTIO_IN_REDIRECT, redirected to 15006', () => {
    const ep = e.endpoints[0];
    expect(ep).toBeDefined();
    const steps = netfilterSteps(serverTraversal(model, ep?.address ?? '', 80), 'server-netfilter');
    expect(steps.map((s) => s.label.replace(/ #\d+$/, ''))).toEqual([
      'nat PREROUTING',
      'nat ISTIO_INBOUND',
      'nat ISTIO_IN_REDIRECT',
    ]);
    expect(steps[2]?.detail).toMatch(/handed to Envoy on port 15006$/);
  });

  it("says a connection from the proxy's own uid (1337) is not captured", () => {
    const toolbox = model.proxies.find((p) => p.name.startsWith('toolbox'));
    const rules = netfilter.buildIstioRules(netfilter.parseIstioIptablesArgs(toolbox?.iptables?.args ?? []));
    const ns = netfilter.istioPodNamespace(rules, toolbox?.ip ?? '');
    const dst = netfilter.parseIp(e.call.destinationAddress) as netfilter.IpAddress;
    const trace = ns.output(
      { protocol: netfilter.IPPROTO.TCP, dst, dport: 80, owner: { uid: 1337, gid: 1337 } },
      { trace: true, track: false },
    );
    const steps = netfilterSteps(trace, 'client-netfilter');
    expect(steps.at(-1)?.detail).toMatch(/not captured/);
    expect(steps.some((s) => s.label.includes('ISTIO_REDIRECT'))).toBe(false);
  });

  const arbHop: fc.Arbitrary<NetfilterHopLike> = fc.record({
    table: fc.constantFrom('nat', 'mangle'),
    chain: fc.constantFrom('OUTPUT', 'ISTIO_OUTPUT', 'ISTIO_REDIRECT'),
    rule: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
    text: fc.string({ maxLength: 20 }),
    matched: fc.boolean(),
    verdict: fc.option(fc.constantFrom('ACCEPT', 'RETURN', 'jump X'), { nil: null }),
  });
  test.prop([fc.array(arbHop, { maxLength: 30 }), fc.constantFrom('local', 'pass', 'drop', 'dnat')])(
    'draws one hop per matched rule (at least one), and the last says how the traversal ended',
    (hops, verdict) => {
      const steps = netfilterSteps({ verdict, localPort: 15001, hops }, 'client-netfilter');
      const matched = hops.filter((h) => h.rule !== null && h.matched).length;
      expect(steps.length).toBe(Math.max(1, matched));
      expect(steps.at(-1)?.status).toBe(verdict === 'drop' ? 'error' : 'ok');
      const skipped = hops.filter((h) => h.rule !== null && !h.matched).length;
      expect(steps.reduce((a, s) => a + (s.notes?.length ?? 0), 0)).toBe(skipped);
    },
  );
});
