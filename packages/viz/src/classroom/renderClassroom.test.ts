import { createHash } from 'node:crypto';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { canaryClassroomInput } from '../testdata/classroomFixture.js';
import { XSS } from '../testdata/xssFixture.js';
import { CLASSROOM_DATA_ID } from './browser/dataElement.js';
import { classroomRuntime, renderClassroom } from './renderClassroom.js';
import { CLASSROOM_CSS } from './styles.js';
import type { ClassroomInput } from './types.js';

const STUB = 'document.documentElement.dataset.stub="1";';
const sha = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** The canary page with every string a scenario's author controls replaced by markup payloads. */
function poisoned(): ClassroomInput {
  const input = canaryClassroomInput();
  const s = input.scenarios[0];
  if (s === undefined) throw new Error('fixture');
  return {
    ...input,
    title: `${XSS.script} classroom`,
    scenarios: [
      {
        ...s,
        name: XSS.script,
        description: `${XSS.breakout} ${XSS.img}`,
        files: [...s.files, { file: `${XSS.img}.yaml`, text: `# ${XSS.breakout}\nkind: ${XSS.script}\n` }],
        omittedEvents: [XSS.img],
      },
    ],
    initial: XSS.script,
  };
}

describe('renderClassroom()', () => {
  it('admits only its own script and stylesheet, by hash, and no network', () => {
    const html = renderClassroom(canaryClassroomInput(), { runtime: STUB });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1]?.replace(/&#39;/g, "'") ?? '';
    expect(csp).toContain(`script-src ${sha(STUB)}`);
    expect(csp).toContain(`style-src ${sha(CLASSROOM_CSS)}`);
    for (const d of ["default-src 'none'", "connect-src 'none'", "img-src 'none'", "worker-src 'none'"])
      expect(csp).toContain(d);
    expect(html).not.toMatch(/\s(src|href)=/);
  });

  it('keeps every payload inert: two scripts only, the data round-trips through JSON', () => {
    const input = poisoned();
    const html = renderClassroom(input, { runtime: STUB });
    expect(html.match(/<script\b/g)?.length).toBe(2);
    expect(html).not.toContain('<img');
    const doc = new Window().document;
    doc.write(html);
    expect(doc.querySelectorAll('script').length).toBe(2);
    expect(doc.querySelectorAll('img, iframe, object').length).toBe(0);
    expect(doc.title).toBe(`${XSS.script} classroom`);
    const data = JSON.parse(doc.getElementById(CLASSROOM_DATA_ID)?.textContent ?? 'null') as ClassroomInput;
    expect(data).toEqual(JSON.parse(JSON.stringify(input)));
  });

  it('refuses an empty page, duplicate names and an unknown initial scenario', () => {
    const input = canaryClassroomInput();
    expect(() => renderClassroom({ ...input, scenarios: [] }, { runtime: STUB })).toThrow(RangeError);
    expect(() =>
      renderClassroom({ ...input, scenarios: [...input.scenarios, ...input.scenarios] }, { runtime: STUB }),
    ).toThrow(/twice/);
    expect(() => renderClassroom({ ...input, initial: 'nope' }, { runtime: STUB })).toThrow(/initial/);
  });

  it('bundles sim-core for the browser: no Node built-in, no require, no dynamic code', () => {
    const code = classroomRuntime();
    expect(code.startsWith('/*! meshsim classroom.')).toBe(true);
    // hdr-histogram-js probes for Node's zlib with a guarded eval when it encodes histograms (never done
    // here); under the page's CSP (no 'unsafe-eval') that probe fails closed and pako is used. Nothing else.
    const probes = /eval\('require\("zlib"\)\.(deflate|inflate)Sync'\)/g;
    expect(code.match(probes)?.length).toBe(2);
    const rest = code.replace(probes, '');
    expect(rest).not.toMatch(/\brequire\(["']/);
    expect(rest).not.toMatch(/["']node:/);
    // (re2js has a method named eval; what matters is code built from strings.)
    expect(rest).not.toMatch(/\bnew Function\(|(?<![.\w])eval\(\s*['"`]/);
    // Rendering with the real bundle is deterministic.
    expect(renderClassroom(canaryClassroomInput())).toBe(renderClassroom(canaryClassroomInput()));
  }, 120_000);
});
