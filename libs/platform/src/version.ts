import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'kinitro-ts';

/** The repository's package.json, found upwards from this file: the same from `libs/` (tests) and from `dist/libs/`. */
const ownPackage = (): { root: string; version: string } => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return { root: dir, version: pkg.version };
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of ${PACKAGE_NAME} above ${fileURLToPath(import.meta.url)}`);
  }
};

const own = ownPackage();

/** The platform's version, from package.json: every app writes it into the events it appends. */
export const PLATFORM_VERSION: string = own.version;

/** The checkout or installation the code runs from (where package.json, dist/ and sdk/ are). */
export const PACKAGE_ROOT: string = own.root;

/** What an app records as the producer of its events. */
export const producerOf = <App extends string>(app: App): { readonly app: App; readonly version: string } => ({ app, version: PLATFORM_VERSION });
