import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { IstioMetrics, type IstioSeries } from './istioMetrics.js';
import { istioRequestLabels } from './istioLabels.js';
import { IstioSeriesTable } from './istioSeriesTable.js';

describe('IstioSeriesTable', () => {
  // The table keeps the last (peer, route, key) at hand; against a plain map of the three keys, any order of
  // lookups and stores must answer the same.
  const peers = [{ name: 'a' }, { name: 'b' }, null];
  const op = fc.tuple(
    fc.boolean(),
    fc.constantFrom(...peers),
    fc.constantFrom('', 'default', 'allow_any'),
    fc.constantFrom(3200, 3503, 2200, 0, 1000 * 4 * 128 + 503),
  );

  test.prop([fc.array(op, { maxLength: 80 })])('answers as a map keyed by (peer, route, key)', (ops) => {
    const table = new IstioSeriesTable<{ name: string }>();
    const model = new Map<string, IstioSeries | null>();
    const metrics = new IstioMetrics();
    let n = 0;
    for (const [store, peer, route, key] of ops) {
      const id = `${peer?.name ?? '-'}|${route}|${key}`;
      if (store && !model.has(id)) {
        // Series, or null for one the cap dropped.
        const s =
          n++ % 3 === 2
            ? null
            : (metrics.series(
                istioRequestLabels({
                  reporter: 'source',
                  local: { workload: 'w', namespace: 'ns', labels: {} },
                  responseCode: n,
                  responseFlags: '-',
                }),
              ) ?? null);
        table.set(peer, route, key, s);
        model.set(id, s);
      }
      expect(table.get(peer, route, key)).toBe(model.has(id) ? model.get(id) : undefined);
    }
  });
});
