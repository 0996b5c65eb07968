/**
 * JUnit XML for CI, in the shape Jenkins, GitLab and GitHub reporters read (the Ant JUnit schema
 * `junit-10.xsd`): `<testsuites>` with one `<testsuite>` per rule-test file, a `<testcase>` per expanded
 * case — `<failure message type>` with the explanation, or `<skipped>` — and the route coverage as
 * `<properties>` of the suite plus a `coverage` test case that fails under `--fail-under`.
 */
import type { Coverage } from './coverage.js';
import { describeCoverage } from './coverage.js';
import type { PropertyResult } from './properties.js';
import type { CaseResult } from './types.js';

/** One file's results. */
export interface JUnitSuite {
  readonly file: string;
  readonly results: readonly CaseResult[];
  /** Ready-made properties checked for this file. */
  readonly properties?: readonly PropertyResult[];
  /** Explanation text per failed case (route trace). */
  readonly details: ReadonlyMap<CaseResult, string>;
}

// XML 1.0 allows tab, LF, CR and code points from 0x20 on; anything else is dropped, the rest escaped.
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The JUnit XML document. `failUnder` adds the coverage test case. */
export function junitXml(suites: readonly JUnitSuite[], coverage: Coverage, failUnder?: number): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const coverageFails = failUnder !== undefined && coverage.percent < failUnder;
  const props = (s: JUnitSuite): readonly PropertyResult[] => s.properties ?? [];
  const count = (s: JUnitSuite, st: CaseResult['status']): number =>
    s.results.filter((r) => r.status === st).length + props(s).filter((p) => p.status === st).length;
  const size = (s: JUnitSuite): number => s.results.length + props(s).length;
  const totalTests = suites.reduce((a, s) => a + size(s), 0) + (failUnder !== undefined ? 1 : 0);
  const totalFailures = suites.reduce((a, s) => a + count(s, 'failed'), 0) + (coverageFails ? 1 : 0);
  lines.push(`<testsuites name="meshsim check" tests="${totalTests}" failures="${totalFailures}" errors="0">`);
  suites.forEach((s, i) => {
    const last = i === suites.length - 1;
    const tests = size(s) + (last && failUnder !== undefined ? 1 : 0);
    const failures = count(s, 'failed') + (last && coverageFails ? 1 : 0);
    lines.push(
      `  <testsuite name="${xml(s.file)}" tests="${tests}" failures="${failures}" errors="0" skipped="${count(s, 'skipped')}" time="0" timestamp="1970-01-01T00:00:00" hostname="meshsim" id="${i}" package="meshsim">`,
    );
    lines.push('    <properties>');
    lines.push(`      <property name="route.coverage.percent" value="${coverage.percent.toFixed(1)}"/>`);
    lines.push(`      <property name="route.coverage.rules" value="${coverage.covered}/${coverage.total}"/>`);
    lines.push(
      `      <property name="route.coverage.httpRoutes" value="${coverage.httpRoutes.covered}/${coverage.httpRoutes.total}"/>`,
    );
    lines.push('    </properties>');
    for (const r of s.results) {
      lines.push(`    <testcase name="${xml(r.name)}" classname="${xml(s.file)}" time="0">`);
      if (r.status === 'failed') {
        lines.push(
          `      <failure message="${xml(r.failures[0] ?? 'failed')}" type="RouteExpectation">${xml(s.details.get(r) ?? r.failures.join('\n'))}</failure>`,
        );
      } else if (r.status === 'skipped') {
        lines.push(`      <skipped>${xml(r.notes.join('; ') || 'nothing to check')}</skipped>`);
      }
      if (r.notes.length > 0)
        lines.push(`      <system-out>${xml(r.notes.map((n) => `not evaluated: ${n}`).join('\n'))}</system-out>`);
      lines.push('    </testcase>');
    }
    for (const p of props(s)) {
      lines.push(
        `    <testcase name="${xml(`property ${p.spec.name}: ${p.title}`)}" classname="${xml(s.file)}" time="0">`,
      );
      if (p.status === 'failed' && p.counterexample !== undefined) {
        lines.push(
          `      <failure message="${xml(p.counterexample.message.split('\n')[0] ?? 'failed')}" type="PropertyCounterexample">${xml(p.file?.text ?? p.counterexample.message)}</failure>`,
        );
      }
      lines.push('    </testcase>');
    }
    if (last && failUnder !== undefined) {
      lines.push(`    <testcase name="route coverage ≥ ${failUnder} %" classname="${xml(s.file)}" time="0">`);
      if (coverageFails) {
        const text = coverage.rules
          .filter((r) => r.tests === 0)
          .map(describeCoverage)
          .join('\n');
        lines.push(
          `      <failure message="${xml(`route coverage ${coverage.percent.toFixed(1)} % is under ${failUnder} %`)}" type="Coverage">${xml(text)}</failure>`,
        );
      }
      lines.push('    </testcase>');
    }
    lines.push('    <system-out/>', '    <system-err/>', '  </testsuite>');
  });
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
