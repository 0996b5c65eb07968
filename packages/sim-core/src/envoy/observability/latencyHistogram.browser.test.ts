/**
 * hdr-histogram-js in a browser: bundlers resolve the package through its `browser` field to a UMD build.
 * Evaluate that build in a bare context — no WebAssembly, no `process`, no `require` — and check that the
 * pure-JavaScript histogram meshsim uses loads and works there.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('hdr-histogram-js/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { browser: string };
// pako is hdr-histogram-js's own dependency (used only for encoding); the UMD build takes it as a global.
const pakoDir = dirname(createRequire(join(pkgDir, 'package.json')).resolve('pako/package.json'));

it('the browser build of hdr-histogram-js runs without WebAssembly', () => {
  const window: Record<string, unknown> = {};
  const context = vm.createContext({
    window,
    self: window,
    Math,
    Float64Array,
    Uint8Array,
    Int32Array,
    Uint32Array,
    Uint16Array,
    Int8Array,
    Int16Array,
    Object,
    Array,
    Error,
    Number,
    String,
    Symbol,
    Intl,
    Promise,
    TextDecoder,
    TextEncoder,
  }); // browser globals, nothing Node-only
  vm.runInContext('delete globalThis.WebAssembly', context); // V8 gives every context one; a browser may not
  expect(vm.runInContext('typeof WebAssembly', context)).toBe('undefined');
  expect(vm.runInContext('typeof process + typeof require', context)).toBe('undefinedundefined');
  vm.runInContext(readFileSync(join(pakoDir, 'dist/pako.min.js'), 'utf8'), context);
  vm.runInContext(readFileSync(join(pkgDir, pkg.browser), 'utf8'), context);
  const result = vm.runInContext(
    `const h = new hdr.Float64Histogram(1, 3600000000, 2);
     for (let i = 1; i <= 1000; i++) h.recordValue(i * 1000);
     [h.totalCount, h.getValueAtPercentile(50), h.getValueAtPercentile(99), typeof hdr.build({ useWebAssembly: false }).recordValue]`,
    context,
  ) as [number, number, number, string];
  expect(result[0]).toBe(1000);
  expect(Math.abs(result[1] - 500_000) / 500_000).toBeLessThan(0.01);
  expect(Math.abs(result[2] - 990_000) / 990_000).toBeLessThan(0.01);
  expect(result[3]).toBe('function');
});
