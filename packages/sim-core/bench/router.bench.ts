/**
 * Route matching per request (virtual host lookup + first-match route scan + route outcome) for route
 * tables of 10 and 100 routes shaped like istiod's: each route matches a path prefix and an exact header,
 * as `match: [{uri: {prefix}, headers: {x-version: {exact}}}]` translates. Requests are spread uniformly
 * over the routes, so a request scans half the table on average.
 * Baseline, same process: a hand-written loop doing only `path.startsWith(prefix) && header === value`
 * per route — the floor any first-match scan pays, with no Envoy semantics (no query stripping, no
 * matcher dispatch, no vhost lookup).
 */
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';
import type { HeaderMap } from '../src/envoy/common.js';
import { selectRoute } from '../src/envoy/router/routeMatch.js';
import { routeOutcome } from '../src/envoy/router/routeOutcome.js';
import type { RouteConfiguration, VirtualHost } from '../src/envoy/router/types.js';
import { findVirtualHost } from '../src/envoy/router/virtualHost.js';

function table(n: number): RouteConfiguration {
  const routes = Array.from({ length: n }, (_, i) => ({
    name: `r${i}`,
    match: {
      prefix: `/svc${i}/`,
      caseSensitive: true,
      headers: [{ name: 'x-version', stringMatch: { exact: `v${i % 3}` } }],
    },
    route: { cluster: `outbound|80|v${i % 3}|svc${i}.default.svc.cluster.local` },
  }));
  const vhosts: VirtualHost[] = [
    {
      name: 'other.default.svc.cluster.local:80',
      domains: ['other.default.svc.cluster.local', 'other', 'other.default'],
      routes: [],
    },
    {
      name: 'app.default.svc.cluster.local:80',
      domains: ['app.default.svc.cluster.local', 'app', 'app.default', 'app.default.svc'],
      routes,
    },
    {
      name: 'allow_any',
      domains: ['*'],
      routes: [{ name: 'allow_any', match: { prefix: '/' }, route: { cluster: 'PassthroughCluster' } }],
    },
  ];
  return { name: '80', ignorePortInHostMatching: true, virtualHosts: vhosts };
}

function requests(n: number, count: number): HeaderMap[] {
  return Array.from({ length: count }, (_, k) => {
    const i = (k * 7919) % n;
    return {
      ':authority': 'app:80',
      ':method': 'GET',
      ':path': `/svc${i}/items?page=${k % 10}`,
      'x-version': `v${i % 3}`,
    };
  });
}

const suite: BenchSuite = {
  name: 'router',
  run(ctx): BenchRow[] {
    const rows: BenchRow[] = [];
    const count = ctx.quick ? 20_000 : 200_000;
    for (const n of [10, 100]) {
      const rc = table(n);
      const reqs = requests(n, 1024);
      const plain = (rc.virtualHosts?.[1]?.routes ?? []).map((r) => ({
        prefix: r.match.prefix as string,
        value: r.match.headers?.[0]?.stringMatch?.exact as string,
      }));
      let sink = 0;
      ctx.log(`  ${n} routes, ${count} requests`);
      const m = compareRates(
        count,
        () => {
          for (let k = 0; k < count; k++) {
            const h = reqs[k & 1023] as HeaderMap;
            const vh = findVirtualHost(rc, h);
            if (vh === undefined) continue;
            const i = selectRoute(vh.virtualHost, h, k);
            const out = routeOutcome(vh.virtualHost.routes?.[i], h);
            sink += out.kind.length;
          }
        },
        () => {
          for (let k = 0; k < count; k++) {
            const h = reqs[k & 1023] as HeaderMap;
            const path = h[':path'] as string;
            const v = h['x-version'];
            for (let i = 0; i < plain.length; i++) {
              const p = plain[i] as { prefix: string; value: string };
              if (path.startsWith(p.prefix) && v === p.value) {
                sink += i;
                break;
              }
            }
          }
        },
      );
      if (sink < 0) ctx.log(String(sink));
      rows.push(ratioRow(`router/match-${n}-routes`, 'req/s', m, 'bare prefix+header loop'));
    }
    return rows;
  },
};
export default suite;
