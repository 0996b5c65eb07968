/**
 * Real-browser test helpers: Debian's chromium driven by playwright-core (never a browser download), a
 * page opened from a file as a user would, with every request other than the file itself recorded and
 * aborted, console errors, page errors and dialogs recorded; and `meshsim` run as a child process, so the
 * pages under test are the ones the CLI writes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
/** The repository's root folder (file path, with a trailing slash). */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** Where screenshots go (git-ignored; CI keeps them as artifacts). */
export const SHOTS = `${ROOT}artifacts/screenshots/`;
/** Where pages under test are written. */
export const PAGES = `${ROOT}artifacts/reports/`;
/** The README's images (refreshed with MESHSIM_UPDATE_DOC_IMAGES=1). */
export const DOC_IMAGES = `${ROOT}docs/images/`;

/** Whether this run refreshes the README's screenshots. */
export const updateDocImages = (): boolean => process.env['MESHSIM_UPDATE_DOC_IMAGES'] === '1';

/** Launches headless chromium (fails, never skips, when it is missing). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does, to run the browser tests`,
    );
  }
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(PAGES, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The selector that matches once a page's script has drawn everything (`data-rendered` on `<html>`). */
export const READY = 'html[data-rendered="true"]';

/** Launches chromium before the calling file's tests and closes it after them; returns the browser's getter. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (browser === undefined) throw new Error('chromium is not running: call useChromium() at the top of the file');
    return browser;
  };
}

/** What happened while a page was open. */
export interface Visit {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
  readonly dialogs: string[];
}

/** Opens `file` (or writes `html` to PAGES/name.html first) and waits for `ready`. */
export async function openPage(
  browser: Browser,
  source: { readonly file: string } | { readonly html: string; readonly name: string },
  ready: string,
  viewport = { width: 1600, height: 1000 },
): Promise<Visit> {
  const file = 'file' in source ? source.file : `${PAGES}${source.name}.html`;
  if ('html' in source) writeFileSync(file, source.html);
  const url = `file://${file}`;
  const page = await browser.newPage({ viewport });
  const visit: Visit = { page, errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') visit.errors.push(m.text());
  });
  page.on('pageerror', (e) => visit.errors.push(String(e)));
  page.on('request', (r) => {
    if (r.url() !== url) visit.requests.push(r.url());
  });
  page.on('dialog', (d) => {
    visit.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector(ready, { timeout: 60_000 });
  return visit;
}

/** Asserts the page stayed quiet: no console or page error, no request, no dialog. */
export function expectQuiet(visit: Visit): void {
  expect(visit.errors).toEqual([]);
  expect(visit.requests).toEqual([]);
  expect(visit.dialogs).toEqual([]);
}

/**
 * Asserts a page showing markup payloads stayed inert — quiet, only its own two scripts, no element made
 * from a payload — and screenshots it to SHOTS/`shot`.
 */
export async function expectInert(visit: Visit, shot: string): Promise<void> {
  expectQuiet(visit);
  expect(await visit.page.evaluate(() => document.querySelectorAll('script').length)).toBe(2);
  expect(await visit.page.evaluate(() => document.querySelectorAll('img, iframe, object').length)).toBe(0);
  await visit.page.screenshot({ path: `${SHOTS}${shot}`, fullPage: true });
}

/** Visible labels of the hops of the flow chart(s) `chart` selects, without their durations. */
export async function hopLabels(page: Page, chart: string): Promise<string[]> {
  return (await page.locator(`${chart} .hop .hop-label`).allTextContents()).map((t) => t.replace(/ {3}\S.*$/, ''));
}

/** Whether `want` appear in `got` in this order (other entries may sit between). */
export function inOrder(got: readonly string[], want: readonly (string | RegExp)[]): boolean {
  let at = 0;
  for (const w of want) {
    const i = got.findIndex((g, j) => j >= at && (typeof w === 'string' ? g === w : w.test(g)));
    if (i < 0) return false;
    at = i + 1;
  }
  return true;
}

/** What a `meshsim` run printed and its exit code. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `meshsim ARGS` from the sources (as `pnpm meshsim` does), from the repository's root. */
export function meshsim(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@meshsim/source',
        '--import',
        `${ROOT}scripts/run-ts/register.mjs`,
        `${ROOT}packages/scenarios/src/cli/main.ts`,
        ...args,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
