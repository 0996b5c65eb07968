/**
 * The JSON Schema is one source of truth: the shipped `schema/scenario.schema.json` is generated from the
 * TypeScript in this folder, editors and meshsim validate with the same schema, every field it defines is
 * documented in docs/scenario-format.md, and the good fixtures use every field (so each is loaded for real).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderSchemaFile, SCHEMA_FILE } from '../../../schema/render.js';
import { scenarioSchema } from './scenario.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..', '..');
const GOOD = join(ROOT, 'packages', 'scenarios', 'src', 'load', 'testdata', 'good');
const DOC = readFileSync(join(ROOT, 'docs', 'scenario-format.md'), 'utf8');
const shipped = readFileSync(SCHEMA_FILE, 'utf8');
const fixtures = readdirSync(GOOD).map((dir) => readFileSync(join(GOOD, dir, 'scenario.yaml'), 'utf8'));

/** Every property name the schema defines. */
function propertyNames(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => propertyNames(n, out));
  else if (typeof node === 'object' && node !== null) {
    const props = (node as { properties?: Record<string, unknown> }).properties;
    for (const name of Object.keys(props ?? {})) out.add(name);
    for (const v of Object.values(node)) propertyNames(v, out);
  }
  return out;
}

/** Every key used in a YAML document (inline manifests included, which only adds names). */
function keysOf(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => keysOf(n, out));
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}

describe('scenario.schema.json', () => {
  it('is up to date with the TypeScript source (regenerate: pnpm ts packages/scenarios/schema/generate.ts)', async () => {
    expect(shipped).toBe(await renderSchemaFile());
  });

  it('compiles on its own in strict mode and accepts the good fixtures', () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(JSON.parse(shipped) as object);
    for (const text of fixtures) expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('documents every field it defines in docs/scenario-format.md', () => {
    const missing = [...propertyNames(scenarioSchema)].filter(
      (name) => !DOC.includes(`\`${name}\``) && !DOC.includes(`\`${name}:`),
    );
    expect(missing).toEqual([]);
  });

  it('is exercised: the good fixtures use every field it defines', () => {
    const used = new Set(fixtures.flatMap((t) => [...keysOf(parse(t))]));
    const unused = [...propertyNames(scenarioSchema)].filter((name) => !used.has(name));
    expect(unused).toEqual([]);
  });
});

describe('docs/scenario-format.md', () => {
  it('shows the canary fixture verbatim', () => {
    const m = /<!-- scenario: (\S+) -->\n```yaml\n([\s\S]*?)```\n/.exec(DOC);
    expect(m?.[1]).toBe('packages/scenarios/src/load/testdata/good/canary/scenario.yaml');
    expect(m?.[2]).toBe(readFileSync(join(ROOT, m?.[1] ?? ''), 'utf8'));
  });
});
