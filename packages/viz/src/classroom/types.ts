/**
 * The classroom page's data: the bundled scenarios it embeds (manifests as text, the world's traffic and
 * workloads, the lesson's targets), the settings its sliders control, and what one in-browser run shows.
 * Plain, JSON-serialisable data — the page reads it from a `<script type="application/json">` element.
 */
import type { ManifestInput, MeshModelOptions, WorldOptions } from '@meshsim/sim-core';
import type { LatencySeries } from '../model/latency.js';
import type { SummaryRow } from '../model/outcomeAdapters.js';
import type { RequestFlow } from '../model/requestFlow.js';
import type { Timeline } from '../model/timeline.js';
import type { TrafficSplit } from '../model/trafficSplit.js';

/** A source file of a scenario, shown on the page with line numbers (file:line references point into it). */
export interface ClassroomFile {
  /** Path relative to the scenario's folder, e.g. `manifests/canary-v1.yaml`, `scenario.yaml`. */
  readonly file: string;
  readonly text: string;
}

/** One destination of the lesson's weighted route (`spec.http[i].route[j]`). */
export interface LessonDestination {
  readonly host: string;
  readonly subset?: string;
  readonly weight: number;
  /** `canary.canary v2`. */
  readonly label: string;
}

/**
 * What the sliders act on, found once from the scenario's first request that a route decides: the
 * VirtualService http route it matches, its destination service, the DestinationRule of that service and
 * a replica behind it.
 */
export interface Lesson {
  /** The request the lesson follows, e.g. `GET http://canary/ from canary/toolbox`. */
  readonly request: string;
  /** The destination service (FQDN) of the route. */
  readonly host: string;
  readonly hostNamespace: string;
  /** The VirtualService route the request matches, when a VirtualService decides it. */
  readonly route?: {
    readonly namespace: string;
    readonly name: string;
    readonly httpIndex: number;
    /** Its destinations with weights as written (a lone destination has weight 100). */
    readonly destinations: readonly LessonDestination[];
    /** Its fault, as written. */
    readonly fault: {
      readonly delayPercent: number;
      readonly fixedDelay: string;
      readonly abortPercent: number;
      readonly httpStatus: number;
    };
  };
  /** The DestinationRule for the host, when there is one. */
  readonly destinationRule?: { readonly namespace: string; readonly name: string };
  /** `spec.trafficPolicy.loadBalancer.simple` as written (undefined: Istio's default). */
  readonly lbPolicy?: string;
  /** A replica behind the host, and the share of its requests it already fails (0–100). */
  readonly replica?: { readonly namespace: string; readonly pod: string; readonly errorPercent: number };
}

/** A bundled scenario, as the page runs it. */
export interface ClassroomScenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  /** What `loadManifests` reads (files relative to the scenario's folder). */
  readonly manifests: readonly ManifestInput[];
  /** The scenario's mesh settings (MeshConfig, VMs). */
  readonly meshModel: MeshModelOptions;
  /** The world without its model and timed events: traffic (each generator sends `requests`), workloads, network. */
  readonly world: Omit<WorldOptions, 'model' | 'events' | 'onOutcome' | 'accessLog' | 'accessLogClock' | 'trace'>;
  /** Requests each traffic generator sends per run. */
  readonly requests: number;
  /** Timed events of the scenario left out of the page (their names), so the page can say so. */
  readonly omittedEvents: readonly string[];
  readonly lesson: Lesson;
  readonly files: readonly ClassroomFile[];
}

/** What `renderClassroom` embeds. */
export interface ClassroomInput {
  readonly title: string;
  /** e.g. `meshsim 0.1.0`. */
  readonly generator?: string;
  readonly scenarios: readonly ClassroomScenario[];
  /** The scenario shown first. @defaultValue the first */
  readonly initial?: string;
}

/** Load-balancing policies the slider offers (Istio's `LoadBalancerSettings.SimpleLB`). */
export const LB_POLICIES = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM'] as const;

/** What the sliders set. Absent fields leave the scenario as written. */
export interface ClassroomSettings {
  /** Weight of the route's second destination, 0–100 (the first gets the rest). */
  readonly canaryWeight?: number;
  /** `fault.delay.percentage.value`, 0–100. */
  readonly delayPercent?: number;
  /** `fault.abort.percentage.value`, 0–100. */
  readonly abortPercent?: number;
  /** `trafficPolicy.loadBalancer.simple`. */
  readonly lbPolicy?: (typeof LB_POLICIES)[number];
  /** Share of its requests the lesson's replica answers with 503, 0–100. */
  readonly replicaFailurePercent?: number;
  /** @defaultValue the scenario's seed */
  readonly seed?: number;
}

/** What one run of a scenario shows on the page. */
export interface ClassroomRun {
  readonly scenario: string;
  readonly settings: ClassroomSettings;
  /** The edits the settings made, in the API's words (`VirtualService canary/canary spec.http[1].route[1].weight: 10 → 50`). */
  readonly changes: readonly string[];
  readonly summary: readonly SummaryRow[];
  readonly trafficSplit?: TrafficSplit;
  readonly latency: readonly LatencySeries[];
  readonly timeline?: Timeline;
  readonly flows: readonly RequestFlow[];
  /** Requests completed and the simulated time, µs. */
  readonly requests: number;
  readonly simulated: number;
  /** The lesson route's requests per destination (subset), for the shares table. */
  readonly routeShares: readonly {
    readonly destination: string;
    readonly label: string;
    readonly count: number;
    readonly declared?: number;
  }[];
}
