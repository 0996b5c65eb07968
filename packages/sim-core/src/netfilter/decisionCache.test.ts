import { describe, expect, it } from 'vitest';
import { RngStreams } from '../engine/rng.js';
import { parseIp, type IpAddress } from './addr.js';
import { CaptureCache } from './decisionCache.js';
import { parseIstioIptablesArgs } from './istio/args.js';
import { buildIstioRules } from './istio/capture.js';
import { buildKubeProxyRules } from './kubeProxy/proxier.js';
import { istioPodNamespace, kubeProxyNamespace, podNamespace } from './namespaces.js';
import { parseRestore } from './restore.js';
import { applyRestore } from './ruleset.js';

const ip = (s: string): IpAddress => parseIp(s) as IpAddress;
const sidecar = () =>
  istioPodNamespace(
    buildIstioRules(parseIstioIptablesArgs(['-i', '*', '-b', '*', '-d', '15090,15021,15020'])),
    '10.244.1.5',
  );

describe('CaptureCache', () => {
  it('decides once per connection class and serves the rest from the cache', () => {
    const cache = new CaptureCache(sidecar());
    for (let sport = 40000; sport < 40100; sport++) {
      const d = cache.decide({
        direction: 'out',
        protocol: 6,
        dst: ip('10.96.0.10'),
        dport: 80,
        sport,
        uid: 0,
        gid: 0,
      });
      expect(d.verdict).toBe('local');
      expect(d.localPort).toBe(15001);
      expect(d.source.port).toBe(sport); // the connection's own port, not the first one's
    }
    expect(cache.stats).toEqual({ hits: 99, misses: 1, uncacheable: 0 });
    expect(
      cache.decide({ direction: 'out', protocol: 6, dst: ip('10.96.0.10'), dport: 80, uid: 1337, gid: 1337 }).verdict,
    ).toBe('pass');
    expect(cache.stats.misses).toBe(2);
  });

  it('keys on the source port only when a rule read it', () => {
    const rs = applyRestore(
      undefined,
      parseRestore('*nat\n-A OUTPUT -p tcp --sport 5000 -j REDIRECT --to-ports 9\nCOMMIT'),
    );
    const cache = new CaptureCache(podNamespace('10.244.1.5', { rules: rs }));
    const at = (sport: number) =>
      cache.decide({ direction: 'out', protocol: 6, dst: ip('10.0.0.9'), dport: 80, sport }).verdict;
    expect([at(5000), at(5001), at(5000), at(5001)]).toEqual(['local', 'pass', 'local', 'pass']);
    expect(cache.stats).toEqual({ hits: 2, misses: 2, uncacheable: 0 });
  });

  it('never caches a kube-proxy endpoint choice: each connection draws, as in the kernel', () => {
    const svc = {
      namespace: 'ns1',
      name: 'svc1',
      clusterIP: '10.96.1.1',
      port: 80,
      endpoints: [1, 2, 3].map((i) => ({ ip: `10.0.1.${i}`, port: 80 })),
    };
    const node = kubeProxyNamespace(buildKubeProxyRules([svc]), '192.168.0.10', {
      random: new RngStreams(3).stream('kube-proxy'),
    });
    const cache = new CaptureCache(node);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++)
      seen.add(
        cache
          .decide({ direction: 'in', protocol: 6, src: ip('10.0.2.5'), dst: ip('10.96.1.1'), dport: 80 })
          .destination.ip.words.join(),
      );
    expect(seen.size).toBe(3);
    expect(cache.stats).toEqual({ hits: 0, misses: 60, uncacheable: 60 });
  });
});
