/**
 * A `meshsim check` run, free of files and processes: rule-test files (already read) against a mesh model
 * → every expanded case's result, every property's result, the failures' explanations and the route
 * coverage.
 */
import type { MeshModel } from '@meshsim/sim-core';
import { formatRouteExplanation } from '@meshsim/sim-core';
import { describeRule } from '@meshsim/sim-core/testing';
import { routeCoverage, type Coverage } from './coverage.js';
import { evaluateCase, type SenderDefaults } from './evaluate.js';
import { expandRequest } from './expand.js';
import { runProperties, type PropertyResult } from './properties.js';
import type { CaseResult, RuleTestFile } from './types.js';

/** The results of one file. */
export interface FileResults {
  readonly file: RuleTestFile;
  readonly results: readonly CaseResult[];
  readonly properties: readonly PropertyResult[];
}

/** A whole run. */
export interface CheckRun {
  readonly files: readonly FileResults[];
  readonly coverage: Coverage;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Runs every test and property of `files` on `model` (properties from fast-check seed `seed`). */
export function runRuleTests(
  model: MeshModel,
  files: readonly RuleTestFile[],
  defaults: SenderDefaults = {},
  options: { readonly seed?: number } = {},
): CheckRun {
  const out: FileResults[] = files.map((file) => ({
    file,
    results: file.tests.flatMap((test) =>
      expandRequest(test.request).map((e) => evaluateCase(model, test, e, defaults)),
    ),
    properties: runProperties(model, file.properties, options.seed ?? 1),
  }));
  const all = out.flatMap((f) => f.results);
  const props = out.flatMap((f) => f.properties);
  const count = (st: 'passed' | 'failed'): number => props.filter((p) => p.status === st).length;
  return {
    files: out,
    coverage: routeCoverage(model, all),
    passed: all.filter((r) => r.status === 'passed').length + count('passed'),
    failed: all.filter((r) => r.status === 'failed').length + count('failed'),
    skipped: all.filter((r) => r.status === 'skipped').length,
  };
}

/**
 * Why a case failed, for people: the failed expectations, the rule that routed the request (file:line) and
 * the rules it skipped, then `meshsim route`'s full trace.
 */
export function explainFailure(r: CaseResult): string {
  const lines = r.failures.map((f) => `- ${f}`);
  const d = r.decision;
  if (d !== undefined) {
    lines.push(
      d.rule !== undefined
        ? `routed by ${describeRule(d.rule)}`
        : `no VirtualService rule routes it (${d.explanation.outcome.text})`,
    );
    const skipped = d.explanation.steps.find((s) => s.step === 'route')?.details ?? [];
    for (const s of skipped) lines.push(`  ${s}`);
    lines.push('route trace:');
    lines.push(
      ...formatRouteExplanation(d.explanation)
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  return lines.join('\n');
}
