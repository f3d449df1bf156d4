import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dependency rules of DESIGN.md §2 as a test, over every TypeScript file of apps/ and libs/: libs/domain is pure
 * (it imports libs/contracts and nothing else of ours, and no npm package outside its tests), no app imports
 * another app, no lib imports an app. Parallel work merges into one tree; this is what keeps its shape.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' || entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

/** Static imports, re-exports and dynamic import() of string literals. */
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

const importsOf = (source: string): string[] => [...source.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);

/** "apps/api", "libs/domain", or the specifier itself for a package ("node:fs", "@nestjs/common", "zod"). */
const ownerOf = (file: string, specifier: string): string => {
  if (specifier.startsWith('#')) return `libs/${specifier.slice(1).split('/')[0]}`;
  if (!specifier.startsWith('.')) return specifier.startsWith('node:') ? 'node' : specifier;
  const target = relative(ROOT, resolve(ROOT, dirname(file), specifier)).split(sep);
  return target.slice(0, 2).join('/');
};

const isTest = (file: string): boolean => /\.spec\.ts$/.test(file) || file.split(sep).includes('testing');

const edges = [...sourceFiles('apps'), ...sourceFiles('libs')].flatMap((file) => {
  const from = file.split(sep).slice(0, 2).join('/');
  return importsOf(readFileSync(join(ROOT, file), 'utf8')).map((specifier) => ({ file, from, to: ownerOf(file, specifier), specifier }));
});

const shown = (list: typeof edges) => list.map(({ file, specifier }) => `${file} imports ${specifier}`);

describe('import graph', () => {
  it('reads the imports it is meant to judge', () => {
    expect(importsOf(`import { a } from '#contracts';\nexport * from './b.js';\nconst c = await import('../c.js');\nimport 'reflect-metadata';`)).toEqual([
      '#contracts',
      './b.js',
      '../c.js',
      'reflect-metadata',
    ]);
    // Known edges of this tree, so an empty scan cannot pass.
    expect(edges).toContainEqual(expect.objectContaining({ from: 'libs/domain', to: 'libs/contracts' }));
    expect(edges).toContainEqual(expect.objectContaining({ from: 'apps/cli', to: 'libs/platform' }));
  });

  it('libs/domain imports libs/contracts and nothing else of ours, and no package outside its tests', () => {
    const domain = edges.filter((e) => e.from === 'libs/domain' && e.to !== 'libs/domain');
    const ours = domain.filter((e) => (e.to.startsWith('libs/') || e.to.startsWith('apps/')) && e.to !== 'libs/contracts' && !(isTest(e.file) && e.to === 'libs/testing'));
    expect(shown(ours)).toEqual([]);
    const packages = domain.filter((e) => !e.to.startsWith('libs/') && !isTest(e.file));
    expect(shown(packages)).toEqual([]);
  });

  it('no app imports another app', () => {
    expect(shown(edges.filter((e) => e.from.startsWith('apps/') && e.to.startsWith('apps/') && e.to !== e.from))).toEqual([]);
  });

  it('no lib imports an app', () => {
    expect(shown(edges.filter((e) => e.from.startsWith('libs/') && e.to.startsWith('apps/')))).toEqual([]);
  });
});
