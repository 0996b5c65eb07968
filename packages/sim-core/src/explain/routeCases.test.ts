/**
 * The table of route cases (testdata/route-cases/*.yaml; see its README): manifests + a call → the expected
 * listener, filter chain, route configuration, virtual host, route, cluster(s) or error, in the style of
 * Istio's traffic simulator tests. Only the fields a case gives are compared (Istio's `Result.Matches`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadManifestsOrThrow, type ManifestInput } from '../k8s/load/loadManifests.js';
import type { KubeObject } from '../k8s/object.js';
import { buildMeshModel } from '../istio/model/meshModel.js';
import type { RouteCall } from './call.js';
import type { RouteExplanation } from './explanation.js';
import { route } from './route.js';

interface Expect {
  destinationAddress?: string;
  listener?: string;
  filterChain?: string;
  routeConfig?: string;
  virtualHost?: string;
  route?: string;
  virtualService?: string;
  httpRouteIndex?: number;
  matchIndex?: number | null;
  matchName?: string | null;
  cluster?: string | null;
  clusters?: { name: string; probability: number }[];
  error?: string | null;
  action?: string;
  status?: number | null;
  grpcStatus?: number | null;
  responseFlags?: string | null;
  responseCodeDetails?: string | null;
  delay?: string | null;
  /** Each possible outcome: its probability and the outcome fields given; `null`: the outcome is certain. */
  outcomes?: OutcomeExpect[] | null;
}
interface OutcomeExpect {
  probability: number;
  action?: string;
  status?: number;
  responseFlags?: string;
  cluster?: string;
  delay?: string;
}
interface Case {
  name: string;
  call: RouteCall & { headers?: string[] };
  expect: Expect;
}
interface Group {
  name: string;
  manifests?: string;
  seeds?: string[];
  replace?: string[];
  cases: Case[];
}
interface CaseFile {
  source: string;
  manifests?: string;
  seeds?: string[];
  groups: Group[];
}

const dir = new URL('./testdata/route-cases/', import.meta.url);
const seedsDir = new URL('../../testdata/seeds/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function seedInputs(name: string): ManifestInput[] {
  const d = new URL(`${name}/`, seedsDir);
  return readdirSync(d)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: `testdata/seeds/${name}/${f}`, text: readFileSync(new URL(f, d), 'utf8') }));
}

const refOf = (o: KubeObject): string => `${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/** What `expect` looks at, taken from the explanation. */
function observed(e: RouteExplanation, want: Expect): Expect {
  const got: Expect = {};
  for (const key of Object.keys(want) as (keyof Expect)[]) {
    switch (key) {
      case 'destinationAddress':
        got.destinationAddress = e.call.destinationAddress;
        break;
      case 'route':
        got.route = e.route?.name as string;
        break;
      case 'virtualService':
        got.virtualService =
          e.route?.virtualService === undefined
            ? (undefined as unknown as string)
            : `${e.route.virtualService.namespace}/${e.route.virtualService.name}`;
        break;
      case 'httpRouteIndex':
        got.httpRouteIndex = e.route?.httpRouteIndex as number;
        break;
      case 'cluster':
        got.cluster = e.cluster ?? null;
        break;
      case 'clusters':
        got.clusters = e.clusters.map((c) => ({ name: c.name, probability: c.probability }));
        break;
      case 'error':
        got.error = e.error ?? null;
        break;
      case 'matchIndex':
        got.matchIndex = e.route?.matchIndex ?? null;
        break;
      case 'matchName':
        got.matchName = e.route?.matchName ?? null;
        break;
      case 'action':
        got.action = e.outcome.action;
        break;
      case 'status':
      case 'grpcStatus':
      case 'responseFlags':
      case 'responseCodeDetails':
      case 'delay':
        got[key] = (e.outcome[key] ?? null) as never;
        break;
      case 'outcomes':
        got.outcomes =
          e.outcomes === undefined
            ? null
            : e.outcomes.map((o, i) => {
                const fields = (want.outcomes?.[i] ?? {}) as Partial<OutcomeExpect>;
                const picked: OutcomeExpect = { probability: Number(o.probability.toFixed(12)) };
                for (const k of Object.keys(fields) as (keyof OutcomeExpect)[])
                  if (k !== 'probability') (picked as unknown as Record<string, unknown>)[k] = o.outcome[k];
                return picked;
              });
        break;
      default:
        got[key] = e[key] as never;
    }
  }
  return got;
}

let total = 0;
for (const file of files) {
  const spec = parse(readFileSync(new URL(file, dir), 'utf8')) as CaseFile;
  describe(`route cases: ${file}`, () => {
    for (const group of spec.groups) {
      describe(group.name, () => {
        const inputs: ManifestInput[] = [];
        for (const s of [...(spec.seeds ?? []), ...(group.seeds ?? [])]) inputs.push(...seedInputs(s));
        let objects = loadManifestsOrThrow(inputs).filter((o) => !(group.replace ?? []).includes(refOf(o)));
        const own: ManifestInput[] = [];
        if (spec.manifests !== undefined) own.push({ file: `${file}#manifests`, text: spec.manifests });
        if (group.manifests !== undefined) own.push({ file: `${file}#${group.name}`, text: group.manifests });
        objects = [...objects, ...loadManifestsOrThrow(own)];
        const model = buildMeshModel(objects);
        for (const c of group.cases) {
          total++;
          it(c.name, () => {
            const e = route(model, c.call);
            const got = observed(e, c.expect);
            expect(
              {
                ...got,
                clusters: got.clusters?.map((x) => ({ ...x, probability: Number(x.probability.toFixed(12)) })),
              },
              JSON.stringify(
                e.steps.map((s) => s.summary),
                null,
                1,
              ),
            ).toEqual({
              ...c.expect,
              clusters: c.expect.clusters,
            });
          });
        }
      });
    }
  });
}

describe('route cases', () => {
  it('has at least 80 cases', () => {
    expect(total).toBeGreaterThanOrEqual(80);
  });
});
