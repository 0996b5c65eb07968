/**
 * `analyze` finds each planted problem (testdata/planted/*.yaml: the `# expect:` lines are the exact
 * `istioctl analyze` lines, written from istioctl's message templates), and nothing in clean manifests.
 */
import { fc, test } from '@fast-check/vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedFile, seedInputs, SEED_NAMES } from '../../test/seeds.js';
import { parseClusterEnv, virtualMachineFromEnv } from '../istio/model/vm.js';
import { analyzeManifests } from './analyze.js';
import { findingsToJson, formatFinding, makeFinding, sortFindings, type Finding } from './finding.js';
import { MESSAGES } from './messages.js';

const TESTDATA = join(import.meta.dirname, 'testdata');
const read = (rel: string) => ({ file: rel, text: readFileSync(join(TESTDATA, rel), 'utf8') });
const planted = readdirSync(join(TESTDATA, 'planted'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('analyzeManifests() finds each planted problem', () => {
  it('covers the codes the issue asks for', () => {
    const text = planted.map((f) => read(`planted/${f}`).text).join('\n');
    for (const code of [
      'IST0101',
      'IST0102',
      'IST0103',
      'IST0109',
      'IST0110',
      'IST0111',
      'IST0112',
      'IST0118',
      'IST0123',
      'IST0127',
      'IST0130',
      'IST0131',
      'IST0132',
      'IST0134',
      'IST0144',
      'IST0145',
      'IST0162',
      'IST0173',
      'IST0174',
      'MSH0001',
      'MSH0002',
    ]) {
      expect(text, code).toContain(`[${code}]`);
    }
  });

  it.each(planted.map((f) => [f]))('%s', (f) => {
    const input = read(`planted/${f}`);
    const { findings, model } = analyzeManifests([read('base.yaml'), input]);
    const podOf = (workload: string): string =>
      model.cluster.pods.find((p) => p.workload.name === workload)?.name ?? '?';
    const expected = [...input.text.matchAll(/^# expect: (.*)$/gm)].map((m) =>
      (m[1] as string).replace(/\{pod:([\w-]+)\}/g, (_, w: string) => podOf(w)),
    );
    expect(findings.map(formatFinding).sort()).toEqual(expected.sort());
  });

  it('the base manifests alone are clean', () => {
    expect(analyzeManifests([read('base.yaml')]).findings.map(formatFinding)).toEqual([]);
  });
});

describe('analyzeManifests() on clean manifests', () => {
  it('reports nothing for testdata/clean', () => {
    expect(analyzeManifests([read('clean/bookinfo.yaml')]).findings.map(formatFinding)).toEqual([]);
  });

  it.each(SEED_NAMES.map((n) => [n]))('the %s seed fixture has no Error or Warning', (name) => {
    const vms =
      name === 'vm-mesh-expansion'
        ? [virtualMachineFromEnv('vm204', parseClusterEnv(seedFile(name, 'vm/cluster.env')))]
        : [];
    const { findings } = analyzeManifests(seedInputs(name), { model: { virtualMachines: vms } });
    // simple-ingress: the walkthrough never labels namespace `simple`, which istioctl reports as IST0102 (Info).
    expect(findings.map(formatFinding)).toEqual(
      name === 'simple-ingress'
        ? [
            "Info [IST0102] (Namespace simple testdata/seeds/simple-ingress/namespace.yaml:5) The namespace is not enabled for Istio injection. Run 'kubectl label namespace simple istio-injection=enabled' to enable it, or 'kubectl label namespace simple istio-injection=disabled' to explicitly mark it as not needing injection.",
          ]
        : [],
    );
  });

  it("without the VM, the seed's vm subset selects nothing (IST0173)", () => {
    const { findings } = analyzeManifests(seedInputs('vm-mesh-expansion'));
    expect(findings.map((f) => `${f.code} ${f.message}`)).toEqual([
      `IST0173 The Subset vm defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).`,
    ]);
  });
});

describe('output formats', () => {
  const findings: Finding[] = [
    makeFinding(
      MESSAGES.ReferencedResourceNotFound,
      ['host+subset in destinationrule', 'reviews+v3'],
      { kind: 'VirtualService', namespace: 'default', name: 'reviews' },
      { file: 'testdata/vs.yaml', line: 12 },
    ),
    makeFinding(
      MESSAGES.PortNameIsNotUnderNamingConvention,
      ['foo', 9080, '0'],
      { kind: 'Service', namespace: 'default', name: 'ratings' },
      { file: 'svc.json', line: 7 },
    ),
  ];

  it("formatFinding() prints istioctl's line (the issue's example verbatim)", () => {
    expect(formatFinding(findings[0] as Finding)).toBe(
      'Error [IST0101] (VirtualService default/reviews testdata/vs.yaml:12) Referenced host+subset in destinationrule not found: "reviews+v3"',
    );
  });

  it('findingsToJson() prints istioctl -o json: sorted keys, tab indent, Go escapes, no line for .json files', () => {
    expect(findingsToJson(findings)).toBe(
      [
        '[',
        '\t{',
        '\t\t"code": "IST0101",',
        '\t\t"documentationUrl": "https://istio.io/v1.29/docs/reference/config/analysis/ist0101/?ref=istioctl-analyze",',
        '\t\t"level": "Error",',
        '\t\t"message": "Referenced host+subset in destinationrule not found: \\"reviews+v3\\"",',
        '\t\t"origin": "VirtualService default/reviews",',
        '\t\t"reference": "testdata/vs.yaml:12"',
        '\t},',
        '\t{',
        '\t\t"code": "IST0118",',
        '\t\t"documentationUrl": "https://istio.io/v1.29/docs/reference/config/analysis/ist0118/?ref=istioctl-analyze",',
        '\t\t"level": "Info",',
        '\t\t"message": "Port name foo (port: 9080, targetPort: 0) doesn\'t follow the naming convention of Istio port.",',
        '\t\t"origin": "Service default/ratings",',
        '\t\t"reference": "svc.json"',
        '\t}',
        ']',
      ].join('\n'),
    );
    expect(findingsToJson([makeFinding(MESSAGES.SchemaValidationError, ['weight -10 < 0 & more'])])).toContain(
      '"message": "Schema validation error: weight -10 \\u003c 0 \\u0026 more"',
    );
    expect(findingsToJson([])).toBe('[]');
  });

  const finding = fc
    .record({
      type: fc.constantFrom(
        MESSAGES.ReferencedResourceNotFound,
        MESSAGES.SchemaValidationError,
        MESSAGES.NamespaceNotInjected,
        MESSAGES.ConflictingGateways,
      ),
      kind: fc.constantFrom('VirtualService', 'Gateway', 'Namespace'),
      name: fc.constantFrom('a', 'b', 'c'),
      ns: fc.constantFrom('default', 'prod'),
      line: fc.integer({ min: 1, max: 50 }),
    })
    .map((r) =>
      makeFinding(
        r.type,
        ['x', 'y', 'z', 'w'],
        { kind: r.kind, namespace: r.ns, name: r.name },
        { file: 'f.yaml', line: r.line },
      ),
    );

  test.prop([fc.array(finding, { maxLength: 20 })])(
    'sortFindings() is independent of input order and removes duplicates',
    (fs) => {
      const a = sortFindings(fs).map(formatFinding);
      const b = sortFindings([...fs].reverse()).map(formatFinding);
      expect(a).toEqual(b);
      expect(new Set(a).size).toBe(a.length);
      const levels = sortFindings(fs).map((f) => ['Error', 'Warning', 'Info'].indexOf(f.level));
      expect([...levels].sort((x, y) => x - y)).toEqual(levels);
    },
  );
});
