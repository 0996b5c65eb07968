/**
 * The report in a real browser: Debian's chromium driven by playwright-core (never a browser download).
 * The canary report must load with no console error, no request of any kind, and show what the data
 * says; the XSS report must stay inert. Screenshots go to artifacts/screenshots/ (git-ignored; CI keeps
 * them). The README's report image is taken from a real run's report (cliReport.browser.test.ts).
 *
 * Chromium must be installed (`.ci/run` installs it with apt-get): without it this test fails — it never
 * skips.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShare } from '../model/format.js';
import {
  expectInert,
  expectQuiet,
  hopLabels,
  inOrder,
  READY,
  useChromium,
  openPage,
  SHOTS,
  type Visit,
} from '../testdata/browser.js';
import { canaryReportInput } from '../testdata/canaryFixture.js';
import { XSS, xssReportInput } from '../testdata/xssFixture.js';
import { renderReport } from './renderReport.js';

const browser = useChromium();

describe('the canary report in chromium', () => {
  const input = canaryReportInput();
  let visit: Visit;

  beforeAll(async () => {
    visit = await openPage(browser(), { html: renderReport(input), name: 'canary' }, READY);
  });
  afterAll(async () => {
    await visit?.page.close();
  });

  it('loads with no console error, no request and no dialog', async () => {
    expectQuiet(visit);
    expect(await visit.page.locator('.chart-error').count()).toBe(0);
    // (The README's report image comes from a real run: cliReport.browser.test.ts.)
    await visit.page.screenshot({ path: `${SHOTS}report-canary.png`, fullPage: true });
  });

  it('draws every chart of every variant', async () => {
    for (const kind of ['sankey', 'histogram', 'graph', 'timeline', 'flow']) {
      expect(await visit.page.locator(`.chart[data-chart="${kind}"] > svg`).count(), kind).toBe(input.variants.length);
    }
    expect(await visit.page.locator('.chart[data-chart="cdf-all"] > svg .series').count()).toBe(
      input.variants.reduce((a, v) => a + (v.latency?.length ?? 0), 0),
    );
  });

  it('shows in the Sankey the shares observed, beside the declared weights', async () => {
    for (const [i, v] of input.variants.entries()) {
      // Observed shares computed here from the summary rows, independently of the Sankey model.
      const total = v.summary.reduce((a, r) => a + r.requests, 0);
      const share = (subset: string): number =>
        v.summary.filter((r) => r.subset === subset).reduce((a, r) => a + r.requests, 0) / total;
      const weights = v.name === 'baseline' ? [100, 0] : v.name === 'v2-at-20' ? [80, 20] : [50, 50];
      const shown = await visit.page
        .locator(`.chart[data-chart="sankey"][data-variant="${i}"] tspan.declared`)
        .allTextContents();
      expect(shown, v.name).toEqual([
        `observed ${formatShare(share('v1'))} · declared ${weights[0]}%`,
        `observed ${formatShare(share('v2'))} · declared ${weights[1]}%`,
      ]);
      await visit.page
        .locator(`.chart[data-chart="sankey"][data-variant="${i}"]`)
        .screenshot({ path: `${SHOTS}report-canary-sankey-${v.name}.png` });
    }
  });

  it('shows in the flow chart the hops of the request, in order', async () => {
    const labels = await hopLabels(visit.page, '.chart[data-chart="flow"][data-variant="0"]');
    const expected = [
      'canary/toolbox',
      'DNS',
      /^nat OUTPUT #\d+$/,
      /^nat ISTIO_OUTPUT #\d+$/,
      /^nat ISTIO_REDIRECT #\d+$/,
      'listener 0.0.0.0_80',
      'virtual host canary.canary.svc.cluster.local:80',
      'route #1',
      'cluster outbound|80|v1|canary.canary.svc.cluster.local',
      'load balancer RANDOM',
      'network',
      /^nat PREROUTING #\d+$/,
      /^nat ISTIO_INBOUND #\d+$/,
      /^nat ISTIO_IN_REDIRECT #\d+$/,
      'listener virtualInbound',
      'inbound cluster inbound|80||',
      /^canary\/canary-[a-z0-9]+-[a-z0-9]+$/,
      'response',
      'network',
      'router: try 200',
      'response',
      'canary/toolbox',
    ];
    // The expected hops appear in this order (other hops — listener filters, filter chain… — may sit between).
    expect(inOrder(labels, expected), JSON.stringify(labels)).toBe(true);
    await visit.page
      .locator('.chart[data-chart="flow"][data-variant="0"]')
      .screenshot({ path: `${SHOTS}report-canary-flow.png` });
  });

  it('switches between all variants side by side and one at a time, from the keyboard too', async () => {
    const visible = async (): Promise<number> =>
      visit.page.locator('#traffic-split figure.variant-col:visible').count();
    expect(await visible()).toBe(3);
    await visit.page.locator('.view-switch button[data-show="1"]').focus();
    await visit.page.keyboard.press('Enter');
    expect(await visible()).toBe(1);
    expect(await visit.page.locator('.view-switch button[data-show="1"]').getAttribute('aria-pressed')).toBe('true');
    await visit.page.locator('.view-switch button[data-show="all"]').click();
    expect(await visible()).toBe(3);
  });
});

describe('the XSS report in chromium', () => {
  let visit: Visit;

  beforeAll(async () => {
    visit = await openPage(browser(), { html: renderReport(xssReportInput()), name: 'xss' }, READY);
  });
  afterAll(async () => {
    await visit?.page.close();
  });

  it('stays inert: no dialog, no request, no error, no element made from the payloads', async () => {
    await expectInert(visit, 'report-xss.png');
  });

  it('shows the payloads as text', async () => {
    await expect.poll(() => visit.page.locator('h1').textContent()).toContain(XSS.script);
    expect(await visit.page.locator('h1').isVisible()).toBe(true);
    expect(await visit.page.locator('.view-switch button[data-show="0"]').textContent()).toBe(`${XSS.script}0`);
    const hop = visit.page.locator('.chart[data-chart="flow"][data-variant="0"] .hop-label').first();
    expect(await hop.textContent()).toBe(`${XSS.script}canary/toolbox`);
    expect(await hop.isVisible()).toBe(true);
    expect(await visit.page.locator('main').textContent()).toContain(XSS.img);
  });
});
