import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { loadManifests } from './loadManifests.js';

const DIR = join(import.meta.dirname, 'testdata', 'bad');
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const header = (key: string): string => {
      const m = new RegExp(`^# ${key}: (.*)$`, 'm').exec(text);
      if (m?.[1] === undefined) throw new Error(`${file}: no "# ${key}:" header`);
      return m[1];
    };
    const line = text.split('\n').findIndex((l) => l.includes('# <-- error')) + 1;
    return { file, text, expected: header('expect'), field: header('field'), line };
  });

describe('loadManifests() on the bad-input table', () => {
  it('has at least 40 cases, each marking one line', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) expect(c.line, c.file).toBeGreaterThan(0);
  });

  it.each(cases)('$file: one error naming file:line and field', ({ file, text, expected, field, line }) => {
    const result = loadManifests([{ file, text }]);
    expect(result.errors.map((e) => e.message)).toHaveLength(1);
    const error = result.errors[0] as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(expected);
    expect(error.location.file).toBe(file);
    expect(error.location.line).toBe(line);
    expect(error.location.field ?? '-').toBe(field);
    expect(error.message.startsWith(`${file}:${line}`)).toBe(true);
    expect(error.message).not.toMatch(/\n\s+at /); // one line of text, never a stack trace
  });
});
