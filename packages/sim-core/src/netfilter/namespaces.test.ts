import { describe, expect, it } from 'vitest';
import { loadMeshModel } from '../istio/model/meshModel.js';
import { findProxy } from '../istio/model/modelQueries.js';
import { parseIp, type IpAddress } from './addr.js';
import { parseIstioIptablesArgs } from './istio/args.js';
import { buildIstioRules } from './istio/capture.js';
import { INJECTED_ISTIO_IPTABLES_ARGS } from './istio/constants.js';
import { istioPodNamespace, sidecarPodNamespace } from './namespaces.js';
import { IPPROTO } from './packet.js';

const ip = (s: string): IpAddress => parseIp(s) as IpAddress;
const APP = { uid: 0, gid: 0 };

const model = loadMeshModel([
  {
    file: 'pod.yaml',
    text: `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: shop}
spec:
  selector: {matchLabels: {app: sleep}}
  template:
    metadata: {labels: {app: sleep}}
    spec: {containers: [{name: sleep, image: curlimages/curl}]}
`,
  },
]);

describe('sidecarPodNamespace()', () => {
  it('defaults to the arguments the injection template gives a pod without annotations', () => {
    const proxy = findProxy(model, 'sleep.shop');
    const flags = (proxy?.iptables?.args ?? []).filter((a) => a !== 'istio-iptables' && !a.startsWith('--log_'));
    expect(flags).toEqual(INJECTED_ISTIO_IPTABLES_ARGS);
  });

  it("is istio-iptables' rules in the pod, whether given the invocation or the defaults", () => {
    const proxy = findProxy(model, 'sleep.shop');
    const byHand = istioPodNamespace(
      buildIstioRules(parseIstioIptablesArgs(INJECTED_ISTIO_IPTABLES_ARGS)),
      '10.244.1.5',
    );
    for (const pod of [sidecarPodNamespace('10.244.1.5'), sidecarPodNamespace('10.244.1.5', proxy?.iptables)]) {
      for (const [dst, dport] of [
        ['10.96.0.10', 80],
        ['127.0.0.1', 8080],
        ['10.244.1.5', 15021],
      ] as const) {
        const got = pod.output({ protocol: IPPROTO.TCP, dst: ip(dst), dport, owner: APP }, { track: false });
        const want = byHand.output({ protocol: IPPROTO.TCP, dst: ip(dst), dport, owner: APP }, { track: false });
        expect([got.verdict, got.localPort]).toEqual([want.verdict, want.localPort]);
      }
    }
  });

  it('captures DNS with the environment and nameservers of istio-init', () => {
    const pod = sidecarPodNamespace('10.244.1.5', {
      env: { ISTIO_META_DNS_CAPTURE: 'true' },
      dnsServers: ['10.96.0.10'],
    });
    const q = pod.output({ protocol: IPPROTO.UDP, dst: ip('10.96.0.10'), dport: 53, owner: APP }, { track: false });
    expect([q.verdict, q.localPort]).toEqual(['local', 15053]);
    const plain = sidecarPodNamespace('10.244.1.5').output(
      { protocol: IPPROTO.UDP, dst: ip('10.96.0.10'), dport: 53, owner: APP },
      { track: false },
    );
    expect(plain.verdict).toBe('pass');
  });

  it('an IPv6 pod gets the ip6tables rules (istio-iptables enables them for an IPv6 address)', () => {
    const pod = sidecarPodNamespace('fd00:10:244::5');
    const out = pod.output(
      { protocol: IPPROTO.TCP, dst: ip('fd00:10:96::a'), dport: 80, owner: APP },
      { track: false },
    );
    expect([out.verdict, out.localPort]).toEqual(['local', 15001]);
  });
});
