/**
 * `meshsim check` output: text for people (✓/✗ per case, failures with their explanation, route coverage
 * rule by rule) and JSON for tools.
 */
import { describeRule, ruleKey } from '@meshsim/sim-core/testing';
import { describeCoverage } from './coverage.js';
import { explainFailure, type CheckRun } from './runCheck.js';

/** Options of the reports. */
export interface ReportOptions {
  /** Print only failing cases (and the summary and coverage). */
  readonly onlyFailures?: boolean;
  readonly failUnder?: number;
  /** Where failing properties' counterexamples were saved (printed with each). */
  readonly counterexampleDir?: string;
}

const indent = (text: string, by: string): string =>
  text
    .split('\n')
    .map((l) => (l === '' ? l : `${by}${l}`))
    .join('\n');

/** The text report. */
export function textReport(run: CheckRun, options: ReportOptions = {}): string {
  const out: string[] = [];
  for (const f of run.files) {
    const failed = f.results.filter((r) => r.status === 'failed').length;
    const props =
      f.properties.length > 0 ? `, ${f.properties.length} propert${f.properties.length === 1 ? 'y' : 'ies'}` : '';
    const pFailed = f.properties.filter((p) => p.status === 'failed').length;
    out.push(
      `${f.file.file}${f.file.format === 'router_check_tool' ? ' (router_check_tool tests)' : ''}: ${f.results.length} case${f.results.length === 1 ? '' : 's'}${props}, ${failed + pFailed} failed`,
    );
    for (const r of f.results) {
      if (options.onlyFailures === true && r.status !== 'failed') continue;
      const mark = r.status === 'passed' ? '✓' : r.status === 'failed' ? '✗' : '-';
      out.push(`  ${mark} ${r.name}  (${r.test.file}:${r.test.line})`);
      if (r.status === 'failed') out.push(indent(explainFailure(r), '      '));
      for (const n of r.notes) out.push(`      not evaluated: ${n}`);
    }
    for (const p of f.properties) {
      if (options.onlyFailures === true && p.status !== 'failed') continue;
      const runs = `${p.numRuns} run${p.numRuns === 1 ? '' : 's'}, seed ${p.seed}`;
      out.push(
        `  ${p.status === 'passed' ? '✓' : '✗'} property ${p.spec.name}: ${p.title} (${runs})  (${p.spec.file}:${p.spec.line})`,
      );
      const cx = p.counterexample;
      if (cx === undefined || p.file === undefined) continue;
      out.push(indent(cx.message, '      '));
      const where =
        options.counterexampleDir !== undefined
          ? `${options.counterexampleDir.replace(/\/+$/, '')}/${p.file.name}`
          : p.file.name;
      out.push(
        `      counterexample (${cx.objects.length} object${cx.objects.length === 1 ? '' : 's'}${cx.request !== undefined ? ' and the request' : ''}): ${where}`,
      );
    }
  }
  const c = run.coverage;
  out.push('');
  out.push(
    `route coverage: ${c.covered} of ${c.total} VirtualService rules (${c.percent.toFixed(1)} %), ${c.httpRoutes.covered} of ${c.httpRoutes.total} http routes${c.unreachable > 0 ? `; ${c.unreachable} can never be reached` : ''}`,
  );
  for (const r of c.rules) if (options.onlyFailures !== true || r.tests === 0) out.push(`  ${describeCoverage(r)}`);
  out.push('');
  const under = options.failUnder !== undefined && c.percent < options.failUnder;
  out.push(
    `${run.passed} passed, ${run.failed} failed${run.skipped > 0 ? `, ${run.skipped} skipped` : ''}${under ? ` — route coverage ${c.percent.toFixed(1)} % is under --fail-under ${options.failUnder} %` : ''}`,
  );
  return `${out.join('\n')}\n`;
}

/** The JSON report. */
export function jsonReport(run: CheckRun, options: ReportOptions = {}): unknown {
  return {
    summary: {
      passed: run.passed,
      failed: run.failed,
      skipped: run.skipped,
      coverage: {
        percent: Number(run.coverage.percent.toFixed(3)),
        covered: run.coverage.covered,
        total: run.coverage.total,
        httpRoutes: run.coverage.httpRoutes,
      },
      ...(options.failUnder !== undefined
        ? { failUnder: options.failUnder, coverageOk: run.coverage.percent >= options.failUnder }
        : {}),
    },
    files: run.files.map((f) => ({
      file: f.file.file,
      format: f.file.format,
      cases: f.results
        .filter((r) => options.onlyFailures !== true || r.status === 'failed')
        .map((r) => ({
          name: r.name,
          test: { file: r.test.file, line: r.test.line },
          status: r.status,
          request: r.request,
          failures: r.failures,
          ...(r.notes.length > 0 ? { notEvaluated: r.notes } : {}),
          ...(r.decision !== undefined
            ? {
                route:
                  r.decision.rule !== undefined
                    ? {
                        rule: ruleKey(r.decision.rule),
                        description: describeRule(r.decision.rule),
                        source: r.decision.rule.source,
                      }
                    : null,
                clusters: r.decision.candidates.map((c) => ({
                  name: c.name,
                  probability: c.probability,
                  defined: c.defined,
                  endpoints: c.endpoints,
                })),
                outcome: r.decision.explanation.outcome,
                statuses: r.decision.statuses,
              }
            : {}),
        })),
    })),
    properties: run.files.flatMap((f) =>
      f.properties
        .filter((p) => options.onlyFailures !== true || p.status === 'failed')
        .map((p) => ({
          file: p.spec.file,
          line: p.spec.line,
          property: p.spec.name,
          title: p.title,
          status: p.status,
          numRuns: p.numRuns,
          seed: p.seed,
          ...(p.counterexample !== undefined
            ? {
                counterexample: {
                  message: p.counterexample.message,
                  request: p.counterexample.request ?? null,
                  objects: p.counterexample.objects.map(
                    (o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
                  ),
                  file: p.file?.name,
                  path: p.counterexample.path ?? null,
                },
              }
            : {}),
        })),
    ),
    coverage: run.coverage.rules.map((r) => ({
      rule: ruleKey(r.rule),
      source: r.rule.source,
      tests: r.tests,
      ...(r.reachability !== undefined ? { reachability: r.reachability } : {}),
    })),
  };
}
