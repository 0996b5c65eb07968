/**
 * meshsim's JUnit XML is valid against the JUnit schema CI servers use (testdata/junit-10.xsd): a small
 * XML reader and an interpreter of that schema's constructs (global elements, `xs:sequence` of `ref`s with
 * min/maxOccurs, attributes with `use`, simple `xs:string` elements, mixed content) check it strictly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMeshModel } from '@meshsim/sim-core';
import { junitXml } from './junit.js';
import { parseRuleTests } from './parse.js';
import { explainFailure, runRuleTests } from './runCheck.js';

interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    const v = ENTITIES[e];
    if (v === undefined) throw new Error(`undefined entity ${m}`);
    return v;
  });

/** A strict reader for the XML subset at hand: declaration, comments, elements, attributes, text. */
function parseXml(text: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const skipMisc = (): void => {
    for (;;) {
      while (/\s/.test(text[i] ?? '')) i++;
      if (text.startsWith('<?', i)) i = text.indexOf('?>', i) + 2;
      else if (text.startsWith('<!--', i)) i = text.indexOf('-->', i) + 3;
      else return;
    }
  };
  const element = (): XmlElement => {
    if (text[i] !== '<') fail('expected <');
    i++;
    const name = /^[A-Za-z_][\w:.-]*/.exec(text.slice(i))?.[0] ?? fail('expected a name');
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      while (/\s/.test(text[i] ?? '')) i++;
      if (text.startsWith('/>', i)) {
        i += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      const m = /^([A-Za-z_][\w:.-]*)\s*=\s*"([^"<]*)"/.exec(text.slice(i)) ?? fail('expected an attribute');
      if (attributes[m[1] as string] !== undefined) fail(`duplicate attribute ${m[1]}`);
      attributes[m[1] as string] = decode(m[2] as string);
      i += m[0].length;
    }
    const children: XmlElement[] = [];
    let content = '';
    for (;;) {
      if (i >= text.length) fail(`unclosed <${name}>`);
      if (text.startsWith('</', i)) {
        const close = `</${name}>`;
        if (!text.startsWith(close, i)) fail(`expected ${close}`);
        i += close.length;
        return { name, attributes, children, text: decode(content) };
      }
      if (text.startsWith('<!--', i)) {
        i = text.indexOf('-->', i) + 3;
        continue;
      }
      if (text[i] === '<') children.push(element());
      else {
        const next = text.indexOf('<', i);
        const chunk = text.slice(i, next < 0 ? text.length : next);
        if (chunk.includes('>') && /[^\s]/.test(chunk) && /]]>/.test(chunk)) fail('stray ]]>');
        content += chunk;
        i = next < 0 ? text.length : next;
      }
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== text.length) fail('content after the root element');
  return root;
}

interface ElementRule {
  readonly attributes: ReadonlyMap<string, 'required' | 'optional'>;
  /** Child particles in order; undefined for simple `xs:string` elements (text only, no attributes). */
  readonly sequence?: readonly { readonly ref: string; readonly min: number; readonly max: number }[];
  readonly mixed: boolean;
}

/** The schema's global elements, read from the XSD itself. */
function readSchema(xsd: XmlElement): Map<string, ElementRule> {
  const rules = new Map<string, ElementRule>();
  for (const el of xsd.children.filter((c) => c.name === 'xs:element')) {
    const name = el.attributes['name'] as string;
    const type = el.children.find((c) => c.name === 'xs:complexType');
    if (type === undefined) {
      expect(el.attributes['type']).toBe('xs:string');
      rules.set(name, { attributes: new Map(), mixed: true });
      continue;
    }
    const attributes = new Map<string, 'required' | 'optional'>();
    for (const a of type.children.filter((c) => c.name === 'xs:attribute')) {
      attributes.set(a.attributes['name'] as string, a.attributes['use'] === 'required' ? 'required' : 'optional');
    }
    const seq = type.children.find((c) => c.name === 'xs:sequence');
    rules.set(name, {
      attributes,
      mixed: type.attributes['mixed'] === 'true',
      sequence: (seq?.children ?? []).map((p) => ({
        ref: p.attributes['ref'] as string,
        min: Number(p.attributes['minOccurs'] ?? '1'),
        max: p.attributes['maxOccurs'] === 'unbounded' ? Infinity : Number(p.attributes['maxOccurs'] ?? '1'),
      })),
    });
  }
  return rules;
}

/** Every violation of `schema` in `el` (empty when valid). */
function validate(el: XmlElement, schema: Map<string, ElementRule>, path = ''): string[] {
  const at = `${path}/${el.name}`;
  const rule = schema.get(el.name);
  if (rule === undefined) return [`${at}: element not in the schema`];
  const out: string[] = [];
  for (const [a, use] of rule.attributes)
    if (use === 'required' && el.attributes[a] === undefined) out.push(`${at}: missing attribute ${a}`);
  for (const a of Object.keys(el.attributes))
    if (!rule.attributes.has(a)) out.push(`${at}: attribute ${a} not allowed`);
  if (rule.sequence === undefined) {
    if (el.children.length > 0) out.push(`${at}: a simple element has child elements`);
    return out;
  }
  if (!rule.mixed && el.text.trim() !== '') out.push(`${at}: text not allowed`);
  let k = 0;
  for (const particle of rule.sequence) {
    let n = 0;
    while (k < el.children.length && el.children[k]?.name === particle.ref && n < particle.max) {
      out.push(...validate(el.children[k] as XmlElement, schema, at));
      k++;
      n++;
    }
    if (n < particle.min) out.push(`${at}: expected at least ${particle.min} <${particle.ref}>, found ${n}`);
  }
  if (k < el.children.length) out.push(`${at}: unexpected <${el.children[k]?.name}> (position ${k})`);
  return out;
}

const TESTDATA = join(import.meta.dirname, 'testdata');
const schema = readSchema(parseXml(readFileSync(join(TESTDATA, 'junit-10.xsd'), 'utf8')));
const CANARY = join(import.meta.dirname, '..', '..', '..', 'sim-core', 'testdata', 'seeds', 'canary');
const model = loadMeshModel(
  ['canary-v1.yaml', 'canary-v2.yaml', 'istio-specs.yaml', 'namespace.yaml', 'toolbox.yaml'].map((f) => ({
    file: f,
    text: readFileSync(join(CANARY, f), 'utf8'),
  })),
);

function junitOf(files: readonly string[], failUnder?: number): string {
  const parsed = files.map((f) => parseRuleTests(f, readFileSync(join(TESTDATA, f), 'utf8')));
  const run = runRuleTests(model, parsed, { from: 'toolbox.canary' });
  const suites = run.files.map((f) => ({
    file: f.file.file,
    results: f.results,
    properties: f.properties,
    details: new Map(f.results.filter((r) => r.status === 'failed').map((r) => [r, explainFailure(r)])),
  }));
  return junitXml(suites, run.coverage, failUnder);
}

describe('junitXml()', () => {
  it('the schema reader understands the XSD (sanity)', () => {
    expect(schema.get('testcase')?.sequence?.map((p) => p.ref)).toEqual([
      'skipped',
      'error',
      'failure',
      'system-out',
      'system-err',
    ]);
    expect(schema.get('testsuite')?.attributes.get('tests')).toBe('required');
    expect(validate(parseXml('<testsuites><testsuite name="x"/></testsuites>'), schema)).toEqual([
      '/testsuites/testsuite: missing attribute tests',
    ]);
    expect(
      validate(
        parseXml(
          '<testsuites><testsuite name="x" tests="1"><testcase name="a"><failure/><skipped/></testcase></testsuite></testsuites>',
        ),
        schema,
      ),
    ).toEqual(['/testsuites/testsuite/testcase: unexpected <skipped> (position 1)']);
  });

  it('is valid for passing, failing and skipped cases and a failing coverage case, with the counts right', () => {
    const xml = junitOf(['canary.rules.yaml', 'failing.rules.yaml', 'envoy-route-tests.yaml'], 90);
    const doc = parseXml(xml);
    expect(validate(doc, schema)).toEqual([]);
    expect(doc.attributes).toMatchObject({ tests: '15', failures: '2' });
    const suites = doc.children;
    expect(
      suites.map((s) => [
        s.attributes['name'],
        s.attributes['tests'],
        s.attributes['failures'],
        s.attributes['skipped'],
      ]),
    ).toEqual([
      ['canary.rules.yaml', '9', '0', '0'], // 7 cases and 2 properties
      ['failing.rules.yaml', '2', '2', '0'],
      ['envoy-route-tests.yaml', '4', '0', '1'],
    ]);
    const failure = suites[1]?.children.find((c) => c.name === 'testcase')?.children[0];
    expect(failure?.name).toBe('failure');
    expect(failure?.attributes['message']).toBe('goes to subset v2, not v1');
    expect(failure?.text).toContain(
      'routed by VirtualService canary/canary spec.http[0].match[0] (istio-specs.yaml:14)',
    );
    const coverageCase = suites[2]?.children.filter((c) => c.name === 'testcase').at(-1);
    expect(coverageCase?.attributes['name']).toBe('route coverage ≥ 90 %');
    expect(coverageCase?.children).toEqual([]); // 100 %: passes
  });

  it('fails the coverage case under the threshold and escapes what XML cannot hold', () => {
    const xml = junitOf(['tester-only.rules.yaml'], 80);
    const doc = parseXml(xml);
    expect(validate(doc, schema)).toEqual([]);
    const cov = doc.children[0]?.children.filter((c) => c.name === 'testcase').at(-1);
    expect(cov?.children[0]?.attributes['message']).toBe('route coverage 50.0 % is under 80 %');
    expect(cov?.children[0]?.text).toContain('spec.http[1] (istio-specs.yaml:21) — not exercised by any test');
    const property = doc.children[0]?.children[0]?.children.find(
      (p) => p.attributes['name'] === 'route.coverage.rules',
    );
    expect(property?.attributes['value']).toBe('1/2');
  });
});

describe('junitXml() with properties', () => {
  it('is valid with a failing property, whose failure carries the counterexample file', () => {
    const planted = join(import.meta.dirname, '..', '..', '..', 'sim-core', 'src', 'testing', 'testdata', 'planted');
    const m = loadMeshModel(
      ['base.yaml', 'destination-rule.yaml', 'shadowed-header-route.yaml'].map((f) => ({
        file: f,
        text: readFileSync(join(planted, f), 'utf8'),
      })),
    );
    const f = parseRuleTests(
      'shadowed.properties.yaml',
      readFileSync(join(TESTDATA, 'shadowed.properties.yaml'), 'utf8'),
    );
    const run = runRuleTests(m, [f]);
    const xml = junitXml(
      run.files.map((r) => ({ file: r.file.file, results: r.results, properties: r.properties, details: new Map() })),
      run.coverage,
    );
    const doc = parseXml(xml);
    expect(validate(doc, schema)).toEqual([]);
    const cases = doc.children[0]?.children.filter((c) => c.name === 'testcase') ?? [];
    expect(cases.map((c) => [c.attributes['name'], c.children.map((x) => x.name)])).toEqual([
      ['property everyRequestReachesDestination: every request reaches a defined destination', []],
      ['property noUnreachableRules: no VirtualService rule is unreachable', ['failure']],
    ]);
    expect(cases[1]?.children[0]?.text).toMatch(
      /^# meshsim counterexample — property: no VirtualService rule is unreachable\n[\s\S]*kind: VirtualService/,
    );
  });
});
