/**
 * `meshsim run -o fortio`: one traffic generator's run as Fortio's JSON result (`fhttp.HTTPRunnerResults`
 * embedding `periodic.RunnerResults`, fortio/fortio fhttp/httprunner.go and periodic/periodic.go), so
 * Fortio's own tools (`fortio report`, its browser UI) can read it. Field names, types and units are
 * Fortio's: durations in the histograms in seconds, `ActualDuration` in nanoseconds (a Go
 * `time.Duration`), `RetCodes` keyed by status code with `-1` for a socket error (meshsim's status 0),
 * errors being the non-2xx answers other than 418 (`codeIsOK`). Times are simulated: `StartTime` is the
 * generator's start after the Unix epoch.
 */
import { formatDuration } from '@meshsim/sim-core';
import type { RequestOutcome } from '@meshsim/sim-core/envoy';
import { ConfigError } from '@meshsim/sim-core';
import type { RunOutput } from '../runner/run.js';
import { FortioHistogram, type FortioHistogramData } from './fortioHistogram.js';

/** Fortio's JSON result, the fields meshsim fills. */
export interface FortioResult {
  readonly RunType: 'HTTP';
  readonly Labels: string;
  readonly StartTime: string;
  readonly RequestedQPS: string;
  readonly RequestedDuration: string;
  readonly ActualQPS: number;
  readonly ActualDuration: number;
  readonly NumThreads: number;
  readonly Version: string;
  readonly DurationHistogram: FortioHistogramData;
  readonly ErrorsDurationHistogram: FortioHistogramData;
  readonly Exactly: number;
  readonly Jitter: boolean;
  readonly Uniform: boolean;
  readonly NoCatchUp: boolean;
  readonly RunID: number;
  readonly AccessLoggerInfo: string;
  readonly ID: string;
  readonly RetCodes: Readonly<Record<string, number>>;
  readonly IPCountMap: Readonly<Record<string, number>>;
  readonly URL: string;
  readonly NumConnections: number;
  readonly SocketCount: number;
  readonly AbortOn: number;
}

/** Collects what Fortio reports about each generator as outcomes stream by. */
export class FortioCollector {
  private readonly all = new Map<string, FortioHistogram>();
  private readonly errors = new Map<string, FortioHistogram>();
  private readonly codes = new Map<string, Map<number, number>>();
  private readonly ips = new Map<string, Map<string, number>>();

  /** Feeds one outcome (those of generated requests count). */
  add(o: RequestOutcome, generator: string | undefined): void {
    if (generator === undefined) return;
    const seconds = o.duration / 1e6;
    let h = this.all.get(generator);
    if (h === undefined) {
      this.all.set(generator, (h = new FortioHistogram()));
      this.errors.set(generator, new FortioHistogram());
      this.codes.set(generator, new Map());
      this.ips.set(generator, new Map());
    }
    h.record(seconds);
    const ok = (o.status >= 200 && o.status <= 299) || o.status === 418;
    if (!ok) this.errors.get(generator)?.record(seconds);
    const code = o.status === 0 ? -1 : o.status;
    const codes = this.codes.get(generator) as Map<number, number>;
    codes.set(code, (codes.get(code) ?? 0) + 1);
    if (o.upstreamHost !== undefined) {
      const ips = this.ips.get(generator) as Map<string, number>;
      ips.set(o.upstreamHost, (ips.get(o.upstreamHost) ?? 0) + 1);
    }
  }

  /** The Fortio result of generator `name` (default: the scenario's first) of a finished run. */
  result(out: RunOutput, name?: string, version = '0.1.0'): FortioResult {
    const plan = out.plan;
    const g = name === undefined ? plan.generators[0] : plan.generators.find((x) => x.name === name);
    if (g === undefined) {
      const names = plan.generators.map((x) => x.name).join(', ');
      throw new ConfigError(`unknown traffic generator ${JSON.stringify(name)} (generators: ${names})`, {
        field: '--traffic',
      });
    }
    const m = out.generatorMoments.get(g.name);
    const span = m === undefined || m.count === 0 ? 0 : m.lastEnd - m.firstStart;
    const closed = g.connections !== undefined;
    const qps = closed ? (g.qps === 0 ? 'max' : String(g.qps)) : String(g.rate);
    const requested =
      closed && g.requests !== undefined
        ? `exactly ${g.requests} calls`
        : g.duration !== undefined
          ? formatDuration(g.duration)
          : `exactly ${g.requests ?? 0} calls`;
    const empty = new FortioHistogram().export();
    const first = g.mix[0];
    return {
      RunType: 'HTTP',
      Labels: `meshsim ${plan.scenario.name} ${plan.variant} ${g.name}`,
      StartTime: new Date(Math.floor(g.startAt / 1000)).toISOString(),
      RequestedQPS: qps,
      RequestedDuration: requested,
      ActualQPS: span > 0 ? ((m?.count ?? 0) * 1e6) / span : 0,
      ActualDuration: span * 1000,
      NumThreads: g.connections ?? 0,
      Version: `meshsim-${version}`,
      DurationHistogram: this.all.get(g.name)?.export() ?? empty,
      ErrorsDurationHistogram: this.errors.get(g.name)?.export() ?? empty,
      Exactly: closed && g.requests !== undefined ? g.requests : 0,
      Jitter: g.jitter ?? false,
      Uniform: g.uniform ?? false,
      NoCatchUp: g.noCatchUp ?? false,
      RunID: 0,
      AccessLoggerInfo: '',
      ID: `${plan.scenario.name}-${plan.variant}-${g.name}-seed${plan.seed}`,
      RetCodes: Object.fromEntries(
        [...(this.codes.get(g.name) ?? new Map<number, number>())]
          .sort((a, b) => a[0] - b[0])
          .map(([k, v]) => [String(k), v]),
      ),
      IPCountMap: Object.fromEntries(
        [...(this.ips.get(g.name) ?? new Map<string, number>())].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      ),
      URL: first?.url ?? '',
      NumConnections: g.connections ?? 0,
      SocketCount: g.connections ?? 0,
      AbortOn: 0,
    };
  }
}
