/**
 * Runs of the test meshes ({@link reviewsMesh}) for tests, docs and benchmarks: `sleep` sends traffic to
 * `reviews`, and the run hands back every outcome with the result.
 */
import type { RequestOutcome } from '../../envoy/observability/outcome.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import type { RequestTemplate } from '../traffic/requestMix.js';
import { simulate, type SimulateOptions, type SimulationResult } from './simulate.js';

/** A run's result and its outcomes, in the order they ended. */
export interface TestRun {
  readonly result: SimulationResult;
  readonly outcomes: readonly RequestOutcome[];
}

/** Options of {@link runFromSleep}: open-loop (`rate`) or closed-loop (`connections`) traffic from `sleep`. */
export type SleepTraffic =
  | { readonly rate: number; readonly requests: number; readonly arrivals?: 'poisson' | 'constant' }
  | { readonly connections: number; readonly requests: number; readonly qps?: number };

/** The name of the model's `sleep` pod. */
export function sleepPod(model: MeshModel): string {
  const pod = model.cluster.pods.find((p) => p.labels['app'] === 'sleep');
  if (pod === undefined) throw new Error('the model has no sleep pod');
  return pod.name;
}

/** Sends `traffic` from `sleep` to `mix` (default `http://reviews:9080/`) and collects the outcomes. */
export function runFromSleep(
  model: MeshModel,
  traffic: SleepTraffic,
  options: Omit<SimulateOptions, 'model' | 'traffic'> & { readonly mix?: readonly RequestTemplate[] } = {},
): TestRun {
  const outcomes: RequestOutcome[] = [];
  const source = { kind: 'pod' as const, namespace: 'default', pod: sleepPod(model) };
  const mix = options.mix ?? [{ url: 'http://reviews:9080/' }];
  const spec =
    'rate' in traffic
      ? {
          name: 'sleep',
          source,
          rate: traffic.rate,
          requests: traffic.requests,
          arrivals: traffic.arrivals ?? 'poisson',
          mix,
        }
      : {
          name: 'sleep',
          source,
          connections: traffic.connections,
          qps: traffic.qps ?? 0,
          requests: traffic.requests,
          mix,
        };
  const { onOutcome, ...rest } = options;
  const result = simulate({
    ...rest,
    model,
    traffic: [spec],
    onOutcome: (o) => {
      outcomes.push(o);
      onOutcome?.(o);
    },
  });
  return { result, outcomes };
}

/** How many outcomes satisfy `predicate`. */
export function countOf(outcomes: readonly RequestOutcome[], predicate: (o: RequestOutcome) => boolean): number {
  let n = 0;
  for (const o of outcomes) if (predicate(o)) n++;
  return n;
}
