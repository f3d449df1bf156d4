// Resolve and load hooks for register.mjs: `#lib` imports take the sources (the `types` condition of package.json's
// imports), a `./x.js` specifier that has no .js beside it is its `./x.ts`, and .ts files are stripped by swc.
import { readFile } from 'node:fs/promises';
import { transform } from '@swc/core';
import { SWC_OPTIONS } from './swc-options.mjs';

export async function resolve(specifier, context, nextResolve) {
  const conditions = specifier.startsWith('#') ? [...context.conditions, 'types'] : context.conditions;
  try {
    return await nextResolve(specifier, { ...context, conditions });
  } catch (error) {
    if (!specifier.endsWith('.js') || !context.parentURL?.endsWith('.ts')) throw error;
    return nextResolve(specifier.replace(/\.js$/, '.ts'), { ...context, conditions });
  }
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const { code } = await transform(source, { ...SWC_OPTIONS, filename: new URL(url).pathname });
  return { format: 'module', source: code, shortCircuit: true };
}
