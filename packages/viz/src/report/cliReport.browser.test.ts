/**
 * The report of a real run, as `meshsim run canary --report` writes it, in Debian's chromium: no console
 * error, no request; every chart of every variant drawn side by side; the Sankey's destination counts and
 * shares are the ones the run's own result (`-o json`, computed by the runner from the outcomes) reports,
 * each route's declared weights are the manifest's, and no observed share fails its exact test; the
 * request-path charts show the hops of real sampled requests. Screenshots go to artifacts/screenshots/;
 * MESHSIM_UPDATE_DOC_IMAGES=1 also refreshes docs/images/report.png (the README's).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatShare } from '../model/format.js';
import {
  DOC_IMAGES,
  expectQuiet,
  hopLabels,
  inOrder,
  launchChromium,
  meshsim,
  openPage,
  PAGES,
  READY,
  SHOTS,
  updateDocImages,
  type Visit,
} from '../testdata/browser.js';

interface RunResultJson {
  readonly variant: string;
  readonly destinations: readonly { readonly service: string; readonly subset?: string; readonly requests: number }[];
}

let browser: Browser;
let visit: Visit;
let result: RunResultJson;

beforeAll(async () => {
  browser = await launchChromium();
  const file = `${PAGES}canary-cli.html`;
  const cli = await meshsim(['run', 'canary', '--report', file, '-o', 'json']);
  expect(cli.code, cli.stderr).toBe(0);
  result = JSON.parse(cli.stdout) as RunResultJson;
  visit = await openPage(browser, { file }, READY);
}, 300_000);
afterAll(async () => {
  await visit?.page.close();
  await browser?.close();
});

const VARIANTS = ['baseline', 'fifty-fifty', 'slow-v2', 'bad-v2'];

describe('the canary report written by `meshsim run canary --report`', () => {
  it('loads with no console error, no request and no dialog, every chart of every variant drawn', async () => {
    expectQuiet(visit);
    expect(await visit.page.locator('.chart-error').count()).toBe(0);
    expect(await visit.page.locator('#traffic-split figcaption').allTextContents()).toEqual(VARIANTS);
    for (const kind of ['sankey', 'histogram', 'graph', 'timeline', 'flow']) {
      for (const [i, v] of VARIANTS.entries()) {
        expect(
          await visit.page.locator(`.chart[data-chart="${kind}"][data-variant="${i}"] > svg`).count(),
          `${kind} ${v}`,
        ).toBeGreaterThan(0);
      }
    }
    await visit.page.screenshot({ path: `${SHOTS}report-canary-cli.png`, fullPage: true });
    if (updateDocImages()) {
      await visit.page.evaluate(() => document.getElementById('traffic-split')?.scrollIntoView());
      await visit.page.screenshot({ path: `${DOC_IMAGES}report.png` });
      await visit.page.evaluate(() => window.scrollTo(0, 0));
    }
  });

  it('shows in the baseline’s Sankey the counts and shares the run itself reports', async () => {
    expect(result.variant).toBe('baseline');
    const total = result.destinations.reduce((a, d) => a + d.requests, 0);
    const sankey = '.chart[data-chart="sankey"][data-variant="0"]';
    for (const d of result.destinations) {
      const node = visit.page.locator(`${sankey} .node[data-node="destination:${d.service}|${d.subset ?? ''}"]`);
      expect(await node.locator('tspan.node-count').textContent(), d.subset).toBe(
        `${formatCount(d.requests)} · ${formatShare(d.requests / total)}`,
      );
    }
    await visit.page.locator(sankey).screenshot({ path: `${SHOTS}report-canary-cli-sankey.png` });
  });

  it('puts each route’s declared weights beside its observed shares, none rejected by its exact test', async () => {
    const lines = await visit.page
      .locator('.chart[data-chart="sankey"][data-variant="0"] tspan.declared')
      .allTextContents();
    // The weighted route as written (90/10), after the shift at 30 s (50/50), and the header and final routes (100).
    const declared = (route: string) =>
      lines
        .filter((l) => l.startsWith(route))
        .map((l) => /declared (\d+)%/.exec(l)?.[1])
        .sort();
    expect(declared('canary http[1] from 0s')).toEqual(['10', '90']);
    expect(declared('canary http[1] from 30s')).toEqual(['50', '50']);
    expect(declared('canary http[0] from 1m0s')).toEqual(['100']);
    expect(lines.filter((l) => l.includes('≠'))).toEqual([]);
    // fifty-fifty starts at 50/50.
    const ff = await visit.page
      .locator('.chart[data-chart="sankey"][data-variant="1"] tspan.declared')
      .allTextContents();
    expect(ff.filter((l) => l.startsWith('canary http[1] from 0s')).map((l) => /declared (\d+)%/.exec(l)?.[1])).toEqual(
      ['50', '50'],
    );
  });

  it('shows sampled requests of the run hop by hop: the header route and the weighted route', async () => {
    const flows = visit.page.locator('.chart[data-chart="flow"][data-variant="0"]');
    const n = await flows.count();
    const all: string[][] = [];
    for (let i = 0; i < n; i++)
      all.push(await hopLabels(visit.page, `.chart[data-chart="flow"][data-variant="0"][data-index="${i}"]`));
    const common = (route: string, pod: RegExp): (string | RegExp)[] => [
      'canary/toolbox',
      'DNS',
      /^nat OUTPUT #\d+$/,
      /^nat ISTIO_OUTPUT #\d+$/,
      /^nat ISTIO_REDIRECT #\d+$/,
      'listener 0.0.0.0_80',
      'virtual host canary.canary.svc.cluster.local:80',
      route,
      /^load balancer (RANDOM|ROUND_ROBIN)$/,
      'network',
      /^nat PREROUTING #\d+$/,
      /^nat ISTIO_INBOUND #\d+$/,
      /^nat ISTIO_IN_REDIRECT #\d+$/,
      'listener virtualInbound',
      'inbound cluster inbound|80||',
      pod,
      'response',
      'network',
      'router: try 200',
      'response',
      'canary/toolbox',
    ];
    expect(
      all.some((l) => inOrder(l, common('route #0', /^canary\/canary-v2-/))),
      JSON.stringify(all),
    ).toBe(true);
    expect(
      all.some((l) => inOrder(l, common('route #1', /^canary\/canary-/))),
      JSON.stringify(all),
    ).toBe(true);
    // bad-v2: a request that failed (v2 answers 503, retried by Istio's default policy) is sampled too.
    const bad = await visit.page
      .locator('.chart[data-chart="flow"][data-variant="3"] .hop .hop-label')
      .allTextContents();
    expect(bad.some((t) => t.startsWith('router: try 503'))).toBe(true);
    await visit.page
      .locator('.chart[data-chart="flow"][data-variant="0"]')
      .first()
      .screenshot({ path: `${SHOTS}report-canary-cli-flow.png` });
  });
});
