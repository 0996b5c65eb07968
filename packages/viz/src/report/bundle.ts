/**
 * The report's script: the charts and the page logic (report/browser/main.ts) bundled with esbuild into
 * one minified IIFE, d3 included — the report must work offline, from a file, with no external script.
 * Bundled once per process and cached. Works from the TypeScript sources (tests, `pnpm meshsim`) and from
 * the built package (dist/*.js).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { assertInlineSafe } from './escape.js';

/** Notices of the bundled libraries (both licences ask that the copyright notice travel with copies). */
export const BUNDLE_BANNER =
  '/*! meshsim report. Bundles d3 (https://d3js.org, ISC License, Copyright 2010-2026 Mike Bostock) and d3-sankey (BSD-3-Clause, Copyright 2015 Mike Bostock). */';

let cached: string | undefined;

/** The entry file beside this module: `browser/main.ts` in the sources, `browser/main.js` when built. */
function entryPath(): { path: string; source: boolean } {
  const ts = fileURLToPath(new URL('./browser/main.ts', import.meta.url));
  if (existsSync(ts)) return { path: ts, source: true };
  return { path: fileURLToPath(new URL('./browser/main.js', import.meta.url)), source: false };
}

/** The bundled report script (minified, ES2020, no imports left). */
export function reportRuntime(): string {
  if (cached !== undefined) return cached;
  const entry = entryPath();
  const result = buildSync({
    entryPoints: [entry.path],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    banner: { js: BUNDLE_BANNER },
    // From the sources, workspace packages resolve to their TypeScript (as in tests).
    conditions: entry.source ? ['@meshsim/source'] : [],
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error('esbuild produced no output for the report script');
  const code = file.text.trim();
  assertInlineSafe(code, 'script');
  cached = code;
  return code;
}
