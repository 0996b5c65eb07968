/**
 * Compile-time check (run by `pnpm typecheck`, not by vitest): sim-core's own objects fit the structural
 * input types of this folder's adapters, so the adapters take them as they are. A change in sim-core that
 * breaks an adapter's input fails the typecheck here.
 */
import type { envoy, netfilter, RouteExplanation, KubeObject, TraceRecord } from '@meshsim/sim-core';
import type { PacketTraceLike, RouteExplanationLike } from './explanationLike.js';
import type { LatencyHistogramLike } from './latency.js';
import type { DestinationSummaryLike } from './outcomeAdapters.js';
import type { IstioObjectLike, PrometheusSampleLike } from './serviceGraphAdapters.js';
import type { OutlierEventLike } from './timeline.js';
import type { TraceRecordLike } from './traceAdapters.js';

type Fits<From, To> = From extends To ? true : never;

export const compat: [
  Fits<RouteExplanation, RouteExplanationLike>,
  Fits<netfilter.PacketOutcome, PacketTraceLike>,
  Fits<netfilter.TraceJson, PacketTraceLike>,
  Fits<envoy.LatencyHistogram, LatencyHistogramLike>,
  Fits<envoy.DestinationSummary, DestinationSummaryLike>,
  Fits<envoy.OutlierEvent, OutlierEventLike>,
  Fits<envoy.PrometheusSample, PrometheusSampleLike>,
  Fits<KubeObject, IstioObjectLike>,
  Fits<TraceRecord, TraceRecordLike>,
] = [true, true, true, true, true, true, true, true, true];
