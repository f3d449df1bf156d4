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

const isNest = (specifier: string): boolean => specifier.startsWith('@nestjs/');

/** Where Nest may be imported: the apps (Nest is their wiring) and the Nest entry of eventing (`#eventing/nest`). */
const NEST_HOMES = ['apps/', 'libs/eventing/src/nest/'];
/** Nest-flavoured platform helpers (the apps' Nest logger and shutdown hooks), reached only through `#platform/nest`; listed so no new one slips in. */
const NEST_EXCEPTIONS = ['libs/platform/src/logging.ts', 'libs/platform/src/lifecycle.ts'];

/** package.json's subpath imports (`#eventing`, `#eventing/nest`, `#contracts/decoding`…): their TypeScript sources. */
const SUBPATH_SOURCES = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports as Record<string, { types: string }>;

/** The source file a specifier loads at runtime, or undefined for a package. Type-only imports are erased. */
const resolveSource = (file: string, specifier: string): string | undefined => {
  if (specifier.startsWith('#')) {
    const source = SUBPATH_SOURCES[specifier]?.types;
    if (source === undefined) throw new Error(`${file} imports ${specifier}, which package.json's "imports" does not map`);
    return relative(ROOT, resolve(ROOT, source));
  }
  if (!specifier.startsWith('.')) return undefined;
  return relative(ROOT, resolve(ROOT, dirname(file), specifier.replace(/\.js$/, '.ts')));
};

const TYPE_ONLY = /^\s*(?:import|export)\s+type\s/;

/** Every file and package the module `entry` loads at runtime, following our own imports transitively. */
const runtimeClosure = (entry: string): { files: Set<string>; packages: { file: string; specifier: string }[] } => {
  const files = new Set<string>();
  const packages: { file: string; specifier: string }[] = [];
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      if (TYPE_ONLY.test(m[0])) continue;
      const specifier = (m[1] ?? m[2] ?? m[3])!;
      const target = resolveSource(file, specifier);
      if (target === undefined) packages.push({ file, specifier });
      else visit(target);
    }
  };
  visit(entry);
  return { files, packages };
};

/** Where the API may hold the read-model database itself: its wiring, which opens it and builds the repositories. */
const API_WIRING = join('apps', 'api', 'src', 'infrastructure') + sep;
/** typeorm's DataSource, the API's token holding it, and the #read-models helpers that open one or write through one. */
const DATABASE_HANDLE = /\b(DataSource|READ_MODELS|createDataSource|openReadModels|ReadModelStore)\b/;

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
    const ours = domain.filter(
      (e) => (e.to.startsWith('libs/') || e.to.startsWith('apps/')) && e.to !== 'libs/contracts' && !(isTest(e.file) && e.to === 'libs/testing'),
    );
    expect(shown(ours)).toEqual([]);
    const packages = domain.filter((e) => !e.to.startsWith('libs/') && !isTest(e.file));
    expect(shown(packages)).toEqual([]);
  });

  it('no app imports another app', () => {
    expect(shown(edges.filter((e) => e.from.startsWith('apps/') && e.to.startsWith('apps/') && e.to !== e.from))).toEqual([]);
  });

  it('imports Nest only in the apps and in libs/eventing/src/nest (tests aside)', () => {
    const nest = edges.filter((e) => isNest(e.specifier) && !isTest(e.file));
    expect(nest.length).toBeGreaterThan(0);
    const stray = nest.filter((e) => !NEST_HOMES.some((home) => e.file.startsWith(home)) && !NEST_EXCEPTIONS.includes(e.file));
    expect(shown(stray)).toEqual([]);
  });

  it('the main #eventing entry loads no Nest at runtime; #eventing/nest does', () => {
    const main = runtimeClosure(join('libs', 'eventing', 'src', 'index.ts'));
    expect(main.files.size).toBeGreaterThan(10);
    expect(main.packages.filter((p) => isNest(p.specifier)).map(({ file, specifier }) => `${file} imports ${specifier}`)).toEqual([]);
    // The walk does find Nest where it is, so the assertion above can fail.
    const nestEntry = runtimeClosure(join('libs', 'eventing', 'src', 'nest', 'index.ts'));
    expect(nestEntry.packages).toContainEqual(expect.objectContaining({ specifier: '@nestjs/common' }));
  });

  it('no lib imports an app', () => {
    expect(shown(edges.filter((e) => e.from.startsWith('libs/') && e.to.startsWith('apps/')))).toEqual([]);
  });

  it('apps/api reads the read models only through the repositories of #read-models: no typeorm, no DataSource outside its wiring (tests aside)', () => {
    const api = sourceFiles('apps/api').filter((file) => !isTest(file) && !file.startsWith(API_WIRING));
    const stray = api.flatMap((file) => {
      const source = readFileSync(join(ROOT, file), 'utf8');
      const typeorm = importsOf(source).filter((specifier) => specifier === 'typeorm' || specifier.startsWith('typeorm/'));
      const handle = source.match(DATABASE_HANDLE);
      return [...typeorm.map((specifier) => `${file} imports ${specifier}`), ...(handle ? [`${file} names ${handle[1]}`] : [])];
    });
    expect(api.length).toBeGreaterThan(50);
    expect(stray).toEqual([]);
    // The wiring does hold it, so the scan can find it.
    const wiring = readFileSync(join(ROOT, API_WIRING, 'repositories.ts'), 'utf8');
    expect(importsOf(wiring)).toContain('typeorm');
    expect(wiring).toMatch(DATABASE_HANDLE);
  });
});
