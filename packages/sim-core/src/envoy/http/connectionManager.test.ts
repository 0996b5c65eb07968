/**
 * The connection manager remembers the fault filter config of the last faulted route it saw; it must hand
 * every stream the config the proxy has for that route's settings under the manager's stat prefix (Envoy
 * keeps one fault filter config, with its stats, per connection manager's filter chain).
 */
import { describe, expect, it } from 'vitest';
import { fixedRandom } from '../../engine/rng.js';
import { HCM_TYPE } from '../config/listener.js';
import { FaultFilterConfig } from '../filters/http/fault/faultFilter.js';
import { FaultSettings } from '../filters/http/fault/faultConfig.js';
import { createRouterStats } from '../router/routerFilter.js';
import { ConnectionManager, createDownstreamStats, type HttpProxyContext } from './connectionManager.js';

describe('ConnectionManager.faultFilterConfig()', () => {
  it('is the proxy’s config for each route’s settings under its stat prefix, whatever the order', () => {
    const asked: string[] = [];
    const configs = new Map<string, FaultFilterConfig>();
    const proxy: HttpProxyContext = {
      dispatcher: { now: 0, schedule: () => ({ cancel: () => undefined }) },
      streamIdRandom: fixedRandom([]),
      faultRandom: fixedRandom([]),
      newRequestId: () => 'id',
      responsePassTime: () => 0,
      faultFilterConfig(settings, statPrefix) {
        const key = `${settings === a ? 'a' : 'b'}/${statPrefix}`;
        asked.push(key);
        let c = configs.get(key);
        if (c === undefined) configs.set(key, (c = new FaultFilterConfig(settings)));
        return c;
      },
      onStreamComplete: () => undefined,
      trace: undefined,
    };
    const a = new FaultSettings({ abort: { httpStatus: 503, percentage: { numerator: 1 } } });
    const b = new FaultSettings({ delay: { fixedDelay: '1s', percentage: { numerator: 1 } } });
    const manager = (statPrefix: string) =>
      new ConnectionManager({
        config: { '@type': HCM_TYPE, statPrefix, httpFilters: [{ name: 'envoy.filters.http.fault' }] },
        proxy,
        router: {
          dispatcher: proxy.dispatcher,
          clusters: { threadLocalCluster: () => undefined },
          retryRandom: fixedRandom([]),
          stats: createRouterStats(),
        },
        downstreamStats: createDownstreamStats(),
        routes: () => undefined,
        listenerName: 'l',
        filterChainName: 'c',
      });
    const m1 = manager('outbound_0.0.0.0_9080');
    const m2 = manager('inbound_0.0.0.0_9080');
    const sequence: [ConnectionManager, FaultSettings, string][] = [
      [m1, a, 'a/outbound_0.0.0.0_9080'],
      [m1, a, 'a/outbound_0.0.0.0_9080'],
      [m1, b, 'b/outbound_0.0.0.0_9080'],
      [m2, b, 'b/inbound_0.0.0.0_9080'],
      [m1, a, 'a/outbound_0.0.0.0_9080'],
      [m2, a, 'a/inbound_0.0.0.0_9080'],
      [m1, a, 'a/outbound_0.0.0.0_9080'],
    ];
    for (const [m, settings, key] of sequence) {
      const got = m.faultFilterConfig(settings);
      expect(got).toBe(configs.get(key));
      expect(got.settings).toBe(settings);
    }
    // The proxy is asked only when a manager's faulted route changes.
    expect(asked).toEqual([
      'a/outbound_0.0.0.0_9080',
      'b/outbound_0.0.0.0_9080',
      'b/inbound_0.0.0.0_9080',
      'a/outbound_0.0.0.0_9080',
      'a/inbound_0.0.0.0_9080',
    ]);
  });
});
