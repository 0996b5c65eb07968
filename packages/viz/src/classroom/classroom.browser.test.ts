/**
 * The classroom page in a real browser (Debian's chromium via playwright-core), as `meshsim classroom`
 * writes it: it loads with no console error and no request; sim-core runs in the page; moving the canary
 * slider to 50 re-runs the simulation and the shown v2 share becomes about 50 % — checked with an exact
 * binomial test (alpha = 0.001) on the counts the page shows — within a second; a request can be stepped
 * through hop by hop from the keyboard, with the deciding manifest line highlighted; payloads in a
 * scenario stay inert. Screenshots go to artifacts/screenshots/; MESHSIM_UPDATE_DOC_IMAGES=1 also
 * refreshes docs/images/classroom.png.
 */
import { readFileSync } from 'node:fs';
import { binomialAcceptance } from '@meshsim/sim-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShare } from '../model/format.js';
import {
  DOC_IMAGES,
  expectInert,
  expectQuiet,
  READY,
  useChromium,
  meshsim,
  openPage,
  PAGES,
  ROOT,
  SHOTS,
  updateDocImages,
  type Visit,
} from '../testdata/browser.js';
import { canaryClassroomInput } from '../testdata/classroomFixture.js';
import { XSS } from '../testdata/xssFixture.js';
import { renderClassroom } from './renderClassroom.js';

const ALPHA = 1e-3;
const browser = useChromium();

/** The shown count and total of a destination row of the shares table (subset `v1`, `v2`). */
async function shown(visit: Visit, subset: string): Promise<{ count: number; total: number; text: string }> {
  const row = visit.page.locator(`#shares tr[data-destination$="|${subset}"]`);
  return {
    count: Number(await row.getAttribute('data-count')),
    total: Number(await row.getAttribute('data-total')),
    text: (await row.locator('td').nth(2).textContent()) ?? '',
  };
}

const runs = async (visit: Visit): Promise<number> =>
  Number(await visit.page.evaluate(() => document.body.dataset['runs'] ?? '0'));

describe('the classroom page written by `meshsim classroom canary --out`', () => {
  let visit: Visit;
  const file = `${PAGES}classroom-canary.html`;

  beforeAll(async () => {
    const cli = await meshsim(['classroom', 'canary', '--out', file]);
    expect(cli.stderr).toContain('opens on canary');
    expect(cli.code).toBe(0);
    visit = await openPage(browser(), { file }, READY);
  }, 240_000);
  afterAll(async () => {
    await visit?.page.close();
  });

  it('loads, simulates in the page, and draws: no console error, no request, no dialog', async () => {
    expectQuiet(visit);
    expect(await visit.page.locator('#scenario').inputValue()).toBe('canary');
    expect(await visit.page.locator('#status').textContent()).toMatch(/^Simulated [\d,]+ requests/);
    for (const chart of ['#flow', '#sankey', '#histogram', '#cdf']) {
      expect(await visit.page.locator(`${chart} > svg`).count(), chart).toBe(1);
    }
    await visit.page.screenshot({ path: `${SHOTS}classroom-canary.png`, fullPage: true });
  });

  it('shows the scenario as written: 10 % of the users’ requests to v2 (exact binomial test)', async () => {
    const v2 = await shown(visit, 'v2');
    expect(v2.total).toBe(400);
    const acc = binomialAcceptance(v2.total, 0.1, ALPHA);
    expect(v2.count).toBeGreaterThanOrEqual(acc.lower);
    expect(v2.count).toBeLessThanOrEqual(acc.upper);
  });

  it('moving the canary slider to 50 re-simulates: the shown v2 share is about 50 %, within a second', async () => {
    const before = await runs(visit);
    const started = Date.now();
    await visit.page.locator('#canary-weight').fill('50');
    await visit.page.waitForFunction((n) => Number(document.body.dataset['runs']) > n, before, { timeout: 10_000 });
    const wall = Date.now() - started;
    const pageMs = Number(await visit.page.evaluate(() => document.body.dataset['updateMs']));
    expect(pageMs, 'from the slider move to the charts redrawn, as the page measured it').toBeLessThan(1000);
    expect(wall, 'as the test saw it').toBeLessThan(1000 + 200);
    const v2 = await shown(visit, 'v2');
    const acc = binomialAcceptance(v2.total, 0.5, ALPHA);
    expect(v2.total).toBe(400);
    expect(v2.count).toBeGreaterThanOrEqual(acc.lower);
    expect(v2.count).toBeLessThanOrEqual(acc.upper);
    expect(v2.text).toBe(formatShare(v2.count / v2.total));
    // The Sankey was redrawn from the same run: its weighted route now declares 50 % for v2.
    const declared = await visit.page.locator('#sankey tspan.declared').allTextContents();
    expect(declared.some((t) => t.includes('canary http[1]') && t.endsWith('declared 50%'))).toBe(true);
    expect(await visit.page.locator('#changes li').allTextContents()).toEqual([
      'VirtualService canary/canary spec.http[1].route[0].weight: 90 → 50',
      'VirtualService canary/canary spec.http[1].route[1].weight: 10 → 50',
    ]);
    expect(visit.errors).toEqual([]);
    await visit.page.screenshot({ path: `${SHOTS}classroom-canary-50.png`, fullPage: true });
  });

  it('steps a request through its path from the keyboard, highlighting the deciding manifest line', async () => {
    const p = visit.page;
    await p.locator('#sample').selectOption({ index: await sampleOnRoute(visit, 'http[1]') });
    await p.locator('#hop').click(); // focus leaves the form controls, whose keys are their own
    await p.keyboard.press('Home');
    expect(await p.locator('#hop .hop-title').textContent()).toMatch(/^1\/\d+ · canary\/toolbox$/);
    const labels = (await p.locator('#flow .hop .hop-label').allTextContents()).map((t) => t.replace(/ {3}\S.*$/, ''));
    const route = labels.findIndex((l) => l === 'route #1');
    expect(route).toBeGreaterThan(0);
    for (let i = 0; i < route; i++) await p.keyboard.press('ArrowRight');
    expect(await p.locator('#hop .hop-title').textContent()).toBe(`${route + 1}/${labels.length} · route #1`);
    expect(await p.locator('#flow .hop.current').count()).toBe(1);
    expect(await p.locator('#flow .hop.todo').count()).toBe(labels.length - route - 1);
    // The highlighted line is spec.http[1] of the VirtualService in scenario.yaml (found here by reading the file).
    const yaml = readFileSync(`${ROOT}packages/scenarios/src/library/canary/scenario.yaml`, 'utf8').split('\n');
    const vsEnd = yaml.findIndex((l) => l.startsWith('workloads:'));
    const httpItems = yaml.map((l, i) => ({ l, i })).filter(({ l, i }) => i < vsEnd && /^ {8}- (match|route):/.test(l));
    const current = p.locator('#files details[data-file="scenario.yaml"] .line.current');
    expect(await current.getAttribute('data-line')).toBe(String((httpItems[1]?.i ?? -2) + 1));
    await p.keyboard.press('ArrowLeft');
    expect(await p.locator('#hop .hop-title').textContent()).toMatch(new RegExp(`^${route}/`));
    await p.keyboard.press('End');
    expect(await p.locator('#hop .hop-title').textContent()).toBe(`${labels.length}/${labels.length} · canary/toolbox`);
    // Play from the start with space; pause with k.
    await p.keyboard.press('Home');
    await p.keyboard.press(' ');
    expect(await p.locator('#play').getAttribute('aria-pressed')).toBe('true');
    await p.waitForFunction(() => !/^1\//.test(document.querySelector('#hop .hop-title')?.textContent ?? ''), null, {
      timeout: 5000,
    });
    await p.keyboard.press('k');
    expect(await p.locator('#play').getAttribute('aria-pressed')).toBe('false');
    // The buttons work from the keyboard too.
    await p.locator('#first').focus();
    await p.keyboard.press('Enter');
    await p.locator('#next').focus();
    await p.keyboard.press('Enter');
    expect(await p.locator('#hop .hop-title').textContent()).toMatch(/^2\//);
    await p.locator('#flow').screenshot({ path: `${SHOTS}classroom-canary-flow.png` });
    if (updateDocImages()) {
      await p.keyboard.press('Escape');
      await p.locator('#hop').click();
      for (let i = 0; i < route - 1; i++) await p.keyboard.press('ArrowRight');
      await p.evaluate(() => window.scrollTo(0, 0));
      await p.screenshot({ path: `${DOC_IMAGES}classroom.png` });
    }
    expect(visit.errors).toEqual([]);
  });

  it('switches scenarios: fault-injection opens with its own faults on the sliders', async () => {
    const p = visit.page;
    const before = await runs(visit);
    await p.locator('#scenario').selectOption('fault-injection');
    await p.waitForFunction((n) => Number(document.body.dataset['runs']) > n, before, { timeout: 20_000 });
    expect(await p.locator('#fault-delay').inputValue()).toBe('100');
    expect(await p.locator('#fault-delay-field').textContent()).toContain(
      'fault.delay.percentage.value (fixedDelay 5s)',
    );
    expect(await p.locator('#sample option').allTextContents()).toContainEqual(expect.stringMatching(/\(fault\)/));
    expect(visit.errors).toEqual([]);
    await p.screenshot({ path: `${SHOTS}classroom-fault-injection.png`, fullPage: true });
  });
});

/** The index of the first sampled request whose route is `http[i]` of the lesson's VirtualService. */
async function sampleOnRoute(visit: Visit, http: string): Promise<number> {
  const options = await visit.page.locator('#sample option').allTextContents();
  for (let i = 0; i < options.length; i++) {
    await visit.page.locator('#sample').selectOption({ index: i });
    const labels = await visit.page.locator('#flow .hop .hop-label').allTextContents();
    if (labels.some((l) => l.startsWith(`route #${http.slice(5, -1)}`))) return i;
  }
  throw new Error(`no sampled request on ${http}: ${JSON.stringify(options)}`);
}

describe('a classroom page whose scenario carries markup payloads', () => {
  let visit: Visit;

  beforeAll(async () => {
    const input = canaryClassroomInput();
    const s = input.scenarios[0];
    if (s === undefined) throw new Error('fixture');
    const poisoned = {
      ...input,
      title: `${XSS.script} classroom`,
      scenarios: [
        {
          ...s,
          name: XSS.script,
          description: `${XSS.breakout} ${XSS.img}`,
          omittedEvents: [XSS.img],
          files: [...s.files, { file: `${XSS.img}.yaml`, text: `# ${XSS.breakout}\nkind: ${XSS.script}\n` }],
        },
      ],
    };
    visit = await openPage(browser(), { html: renderClassroom(poisoned), name: 'classroom-xss' }, READY);
  }, 120_000);
  afterAll(async () => {
    await visit?.page.close();
  });

  it('stays inert: no dialog, no request, no error, no element made from the payloads', async () => {
    await expectInert(visit, 'classroom-xss.png');
  });

  it('shows the payloads as text', async () => {
    const p = visit.page;
    expect(await p.locator('h1').textContent()).toBe(`${XSS.script} classroom`);
    expect(await p.locator('#scenario option').first().textContent()).toBe(XSS.script);
    expect(await p.locator('#scenario-description').textContent()).toBe(`${XSS.breakout} ${XSS.img}`);
    expect(await p.locator(`#files summary`).last().textContent()).toBe(`${XSS.img}.yaml`);
    expect(await p.locator('#files pre').last().textContent()).toContain(XSS.breakout);
  });
});
