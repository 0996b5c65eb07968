/**
 * Timeline events from a run's trace (`simulate({ trace: 'records' })`, sim-core engine/trace.ts
 * `TraceRecord`): the world records outlier ejections per client proxy (mesh/sidecar/envoyProxy.ts,
 * `outlier.eject` / `outlier.uneject` with proxy, cluster, host, type, enforced), config pushes per proxy
 * (mesh/world/dynamics.ts `xds.push`), scenario changes (`change`) and pod deaths and readiness
 * (`instance.dead`, `instance.state`). Other kinds are left out. Ejections are per client proxy — each
 * sidecar runs its own outlier detector — so a lane is a host as one proxy sees it.
 */
import type { TimelineEvent } from './timeline.js';

/** A trace record (sim-core's `TraceRecord`); `detail` is JSON for the kinds read here. */
export interface TraceRecordLike {
  readonly time: number;
  readonly kind: string;
  readonly detail: string;
}

type Detail = Readonly<Record<string, unknown>>;

function parse(detail: string): Detail | undefined {
  try {
    const v: unknown = JSON.parse(detail);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Detail) : undefined;
  } catch {
    return undefined;
  }
}

const str = (d: Detail, k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);

/** One timeline event per record of a kind the timeline shows, in record order. */
export function timelineEventsFromTrace(records: Iterable<TraceRecordLike>): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const r of records) {
    if (!['outlier.eject', 'outlier.uneject', 'xds.push', 'change', 'instance.dead', 'instance.state'].includes(r.kind))
      continue;
    const d = parse(r.detail);
    if (d === undefined) continue;
    switch (r.kind) {
      case 'outlier.eject':
      case 'outlier.uneject': {
        const host = str(d, 'host') ?? '?';
        const proxy = str(d, 'proxy');
        const subject = proxy !== undefined ? `${host} in ${proxy}` : host;
        const cluster = str(d, 'cluster') ?? '';
        if (r.kind === 'outlier.uneject') out.push({ time: r.time, kind: 'unejection', subject, detail: cluster });
        else
          out.push({
            time: r.time,
            kind: d['enforced'] === false ? 'ejection_detected' : 'ejection',
            subject,
            detail: `${str(d, 'type') ?? 'ejected'} in ${cluster}`,
          });
        break;
      }
      case 'xds.push':
        out.push({ time: r.time, kind: 'config_push', subject: `xDS push to ${str(d, 'proxy') ?? '?'}` });
        break;
      case 'change':
        out.push({ time: r.time, kind: 'scenario', subject: str(d, 'name') ?? 'change', detail: str(d, 'kind') ?? '' });
        break;
      case 'instance.dead':
        out.push({
          time: r.time,
          kind: 'scenario',
          subject: str(d, 'instance') ?? '?',
          detail: d['abrupt'] === true ? 'killed' : 'stopped',
        });
        break;
      case 'instance.state':
        out.push({
          time: r.time,
          kind: 'scenario',
          subject: str(d, 'instance') ?? '?',
          detail: `now ${str(d, 'state') ?? '?'}`,
        });
        break;
    }
  }
  return out;
}
