/**
 * From a parsed document to a {@link Scenario}: the JSON Schema first, then every rule it cannot state —
 * exclusive fields, time order, sums of percentages, and references between sections (a variant name used
 * twice, an expectation naming an unknown variant or traffic generator).
 */
import type { FieldPath } from '@meshsim/sim-core';
import { suggestion } from '../didYouMean.js';
import type { Issue } from '../issue.js';
import type { RequestFilter } from '../types/expect.js';
import type { Scenario } from '../types/scenario.js';
import { BASELINE } from '../types/variants.js';
import { schemaIssues } from '../validate.js';
import { manifestList } from './common.js';
import { arr, Context, num, obj, opt, str, type InlineReader, type RawObject } from './context.js';
import { events } from './events.js';
import { expectation } from './expect.js';
import { meshOverrides, networkSpec } from './mesh.js';
import { trafficGenerator } from './traffic.js';
import { variant } from './variants.js';
import { virtualMachines } from './vms.js';
import { workloadSpec } from './workload.js';

/** The outcome of {@link normalizeScenario}: a frozen scenario, or the issues that prevent one. */
export type NormalizeResult =
  | { readonly scenario: Scenario; readonly issues: readonly [] }
  | { readonly scenario?: undefined; readonly issues: readonly Issue[] };

/**
 * Validates and normalizes a parsed scenario document. `readInline` reads inline manifests (the loader
 * passes one that re-reads their text with Kubernetes' YAML rules); by default they are taken as parsed.
 */
export function normalizeScenario(value: unknown, readInline?: InlineReader): NormalizeResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      issues: [{ path: [], message: 'a scenario is a map with at least name and traffic', code: 'scenario/schema' }],
    };
  }
  const schema = schemaIssues(value);
  if (schema.length > 0) return { issues: schema };
  const ctx = new Context(readInline);
  const raw = value as RawObject;
  const mesh = obj(raw, 'mesh');
  const network = obj(raw, 'network');
  const scenario: Scenario = {
    name: String(raw['name']),
    description: str(raw, 'description') ?? '',
    seed: num(raw, 'seed') ?? 1,
    ...opt(
      'duration',
      raw['duration'] === undefined
        ? undefined
        : ctx.positiveDuration(['duration'], raw['duration'], 'traffic that runs for 0s sends nothing'),
    ),
    ...opt('requests', num(raw, 'requests')),
    manifests: manifestList(ctx, ['manifests'], arr(raw, 'manifests')),
    ...opt('mesh', mesh === undefined ? undefined : meshOverrides(ctx, ['mesh'], mesh)),
    ...opt('network', network === undefined ? undefined : networkSpec(ctx, ['network'], network)),
    vms: virtualMachines(ctx, ['vms'], arr(raw, 'vms') ?? []),
    workloads: (arr(raw, 'workloads') ?? []).map((w, i) => workloadSpec(ctx, ['workloads', i], w as RawObject)),
    traffic: (arr(raw, 'traffic') ?? []).map((t, i) => trafficGenerator(ctx, ['traffic', i], t as RawObject, i)),
    events: events(ctx, ['events'], arr(raw, 'events') ?? []),
    variants: (arr(raw, 'variants') ?? []).map((v, i) => variant(ctx, ['variants', i], v as RawObject)),
    expect: (arr(raw, 'expect') ?? []).map((e, i) => expectation(ctx, ['expect', i], e as RawObject, i)),
  };
  crossReferences(ctx, scenario);
  if (!ctx.issues.empty) return { issues: ctx.issues.list };
  return { scenario: deepFreeze(scenario), issues: [] };
}

function crossReferences(ctx: Context, scenario: Scenario): void {
  unique(
    ctx,
    scenario.traffic.map((t) => t.name),
    (i) => ['traffic', i, 'name'],
    'traffic generator',
  );
  unique(
    ctx,
    scenario.variants.map((v) => v.name),
    (i) => ['variants', i, 'name'],
    'variant',
  );

  scenario.traffic.forEach((t, i) => {
    if (
      t.duration === undefined &&
      t.requests === undefined &&
      scenario.duration === undefined &&
      scenario.requests === undefined
    ) {
      ctx.fail(
        ['traffic', i],
        'missing duration or requests: say how long this generator runs (here, or for all generators at the top of the scenario)',
      );
    }
  });

  const variantNames = [BASELINE, ...scenario.variants.map((v) => v.name)];
  const trafficNames = scenario.traffic.map((t) => t.name);
  scenario.expect.forEach((e, i) => {
    e.variants?.forEach((name, j) => {
      if (!variantNames.includes(name)) {
        ctx.fail(
          ['expect', i, 'variants', j],
          `unknown variant ${JSON.stringify(name)}${suggestion(name, variantNames)} (variants: ${variantNames.join(', ')})`,
          'scenario/reference',
        );
      }
    });
    const checkTraffic = (filter: RequestFilter, path: FieldPath): void => {
      if (filter.traffic !== undefined && !trafficNames.includes(filter.traffic)) {
        ctx.fail(
          [...path, 'traffic'],
          `unknown traffic generator ${JSON.stringify(filter.traffic)}${suggestion(filter.traffic, trafficNames)} (generators: ${trafficNames.join(', ')})`,
          'scenario/reference',
        );
      }
    };
    checkTraffic(e.of, ['expect', i, 'of']);
    if (e.share !== undefined) checkTraffic(e.share.to, ['expect', i, 'share', 'to']);
  });
}

function unique(ctx: Context, names: readonly string[], at: (i: number) => FieldPath, what: string): void {
  names.forEach((name, i) => {
    const first = names.indexOf(name);
    if (first !== i)
      ctx.fail(at(i), `duplicate ${what} name ${JSON.stringify(name)} (also at index ${first})`, 'scenario/reference');
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
