// Node module-customization hooks (https://nodejs.org/api/module.html#customization-hooks) that load
// TypeScript: a path import of `x.js` from a .ts file resolves to `x.ts` when only the latter exists
// (TypeScript's NodeNext convention), and .ts files are transformed by esbuild — types stripped, nothing
// else: no bundling, no `keepNames`, the same semantics as tsc's emit for tsconfig.base.json's options.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const TS = /\.m?ts$/;

/** tsconfig.base.json's options that change emitted JavaScript (esbuild reads them from `tsconfigRaw`). */
const tsconfigRaw = {
  compilerOptions: { target: 'ES2022', verbatimModuleSyntax: true, useDefineForClassFields: true },
};

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTs = context.parentURL !== undefined && TS.test(context.parentURL);
    if (fromTs && error?.code === 'ERR_MODULE_NOT_FOUND' && /^(\.{1,2}\/|\/|file:).*\.m?js$/.test(specifier)) {
      return nextResolve(specifier.replace(/js$/, 'ts'), context);
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TS.test(url)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const { code } = await transform(await readFile(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    sourcemap: 'inline', // with register.mjs's setSourceMapsEnabled: stack traces name .ts lines
    sourcefile: file,
    tsconfigRaw,
  });
  return { format: 'module', source: code, shortCircuit: true };
}
