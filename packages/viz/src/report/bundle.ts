/**
 * The pages' scripts: the charts and the page logic (report/browser/main.ts; the classroom's too) bundled
 * with esbuild into one minified IIFE, d3 included — a page must work offline, from a file, with no external
 * script. Bundled once per process and cached. Works from the TypeScript sources (tests, `pnpm meshsim`) and from
 * the built package (dist/*.js).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { assertInlineSafe } from './escape.js';

/** Notices of the bundled libraries (both licences ask that the copyright notice travel with copies). */
export const BUNDLE_BANNER =
  '/*! meshsim report. Bundles d3 (https://d3js.org, ISC License, Copyright 2010-2026 Mike Bostock) and d3-sankey (BSD-3-Clause, Copyright 2015 Mike Bostock). */';

const bundles = new Map<string, string>();

/**
 * Bundles a page's browser entry — `browser/main.ts` beside the caller in the sources, `browser/main.js`
 * when built — into one minified ES2020 IIFE with no imports left, `banner` first; cached per entry. From
 * the sources, workspace packages resolve to their TypeScript (as in tests).
 */
export function bundleBrowserEntry(
  entry: { readonly ts: URL; readonly js: URL },
  banner: string,
  page: string,
): string {
  const ts = fileURLToPath(entry.ts);
  const source = existsSync(ts);
  const path = source ? ts : fileURLToPath(entry.js);
  const hit = bundles.get(path);
  if (hit !== undefined) return hit;
  const result = buildSync({
    entryPoints: [path],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    banner: { js: banner },
    conditions: source ? ['@meshsim/source'] : [],
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild produced no output for the ${page} script`);
  const code = file.text.trim();
  assertInlineSafe(code, 'script');
  bundles.set(path, code);
  return code;
}

/** The bundled report script (minified, ES2020, no imports left). */
export function reportRuntime(): string {
  const entry = {
    ts: new URL('./browser/main.ts', import.meta.url),
    js: new URL('./browser/main.js', import.meta.url),
  };
  return bundleBrowserEntry(entry, BUNDLE_BANNER, 'report');
}
