/**
 * The Istio series one reporting proxy keeps for one upstream target (host, cluster or authority), keyed by
 * the peer workload, the route name and a code key (response flags, mTLS, metadata exchange and response
 * code as one number) — what istio/proxy's stats filter resolves per request from its labels
 * (istio_stats.cc). The previous request's keys and series are kept at hand: nearly every request to a
 * target has the same ones, so a lookup is then three comparisons, not a map lookup per key.
 */
import type { IstioSeries } from './istioMetrics.js';

/** Series by (peer, route, code key); `null` for a combination dropped by the series cap. */
export class IstioSeriesTable<Peer extends object> {
  private readonly byPeer = new Map<Peer | null, Map<string, Map<number, IstioSeries | null>>>();
  private lastPeer: Peer | null = null;
  private lastRoute = '';
  private lastCodes: Map<number, IstioSeries | null> | undefined;
  private lastKey = NaN; // matches no key
  private lastSeries: IstioSeries | null = null;

  /** The series of requests from/to `peer` on `route` with code key `key`; `undefined` when not made yet. */
  get(peer: Peer | null, route: string, key: number): IstioSeries | null | undefined {
    if (key === this.lastKey && peer === this.lastPeer && route === this.lastRoute) return this.lastSeries;
    const s = this.codes(peer, route).get(key);
    if (s !== undefined) {
      this.lastKey = key;
      this.lastSeries = s;
    }
    return s;
  }

  /** Keeps the series of (`peer`, `route`, `key`), `null` when the series cap dropped it. */
  set(peer: Peer | null, route: string, key: number, s: IstioSeries | null): void {
    this.codes(peer, route).set(key, s);
    this.lastKey = key;
    this.lastSeries = s;
  }

  private codes(peer: Peer | null, route: string): Map<number, IstioSeries | null> {
    if (this.lastCodes !== undefined && peer === this.lastPeer && route === this.lastRoute) return this.lastCodes;
    let byRoute = this.byPeer.get(peer);
    if (byRoute === undefined) this.byPeer.set(peer, (byRoute = new Map()));
    let codes = byRoute.get(route);
    if (codes === undefined) byRoute.set(route, (codes = new Map()));
    this.lastPeer = peer;
    this.lastRoute = route;
    this.lastCodes = codes;
    this.lastKey = NaN;
    return codes;
  }
}
