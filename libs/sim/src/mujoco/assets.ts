import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimulatorLoadError } from '../core/errors.js';
import type { MujocoModule } from './runtime.js';

export const ASSETS_VARIABLE = 'METAWORLD_ASSETS';
const DEFAULT_RELATIVE_TO_REPO = '../shared/metaworld/assets';
/** Where the assets tree is mirrored inside the Emscripten file system. */
const FS_ROOT = '/metaworld';

/** The repository root: the nearest folder above this module that holds a package.json. */
const repoRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
};

/** The MetaWorld assets folder from METAWORLD_ASSETS, else ../shared/metaworld/assets beside the repo. */
export const resolveAssetsDir = (env: Record<string, string | undefined> = process.env): string => {
  const configured = env[ASSETS_VARIABLE];
  const dir = configured ? resolve(configured) : resolve(repoRoot(), DEFAULT_RELATIVE_TO_REPO);
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !existsSync(join(dir, 'sawyer_xyz'))) {
    throw new SimulatorLoadError(
      `MetaWorld assets not found at ${dir}: set ${ASSETS_VARIABLE} to the folder that holds sawyer_xyz/, objects/, scene/ (MetaWorld's metaworld/assets)`,
    );
  }
  return dir;
};

const FILE_REFERENCE = /\bfile\s*=\s*"([^"]+)"/g;
const COMMENT = /<!--[\s\S]*?-->/g;

/**
 * Copies one task XML and everything it references (includes, meshes, textures) into the
 * Emscripten file system, keeping the layout, so MuJoCo resolves the relative paths exactly as
 * MetaWorld's file-path load does. Only the reference closure is copied, each file once.
 */
export class AssetMount {
  private readonly mounted = new Set<string>();

  constructor(
    private readonly mj: MujocoModule,
    readonly assetsDir: string,
  ) {}

  /** Mounts the task XML (path relative to the assets folder) and returns its path inside the WASM FS. */
  mount(xmlRelative: string): string {
    const topDir = dirname(normalize(xmlRelative));
    const pending = [normalize(xmlRelative)];
    while (pending.length > 0) {
      const rel = pending.pop()!;
      if (this.mounted.has(rel)) continue;
      const bytes = this.read(rel);
      this.write(rel, bytes);
      if (!rel.endsWith('.xml')) continue;
      const text = new TextDecoder().decode(bytes).replace(COMMENT, '');
      for (const match of text.matchAll(FILE_REFERENCE)) {
        // MuJoCo resolves references against the top-level XML's folder (see PROVENANCE.md).
        pending.push(normalize(join(topDir, match[1]!)));
      }
    }
    return `${FS_ROOT}/${normalize(xmlRelative)}`;
  }

  private read(rel: string): Uint8Array {
    const abs = resolve(this.assetsDir, rel);
    if (relative(this.assetsDir, abs).startsWith('..')) {
      throw new SimulatorLoadError(`asset reference ${rel} leaves the assets folder ${this.assetsDir}`);
    }
    try {
      return readFileSync(abs);
    } catch (cause) {
      throw new SimulatorLoadError(`cannot read MetaWorld asset ${abs} (${ASSETS_VARIABLE}=${this.assetsDir})`, { cause });
    }
  }

  private write(rel: string, bytes: Uint8Array): void {
    this.mj.FS.mkdirTree(`${FS_ROOT}/${dirname(rel)}`, 0o777);
    this.mj.FS.writeFile(`${FS_ROOT}/${rel}`, bytes);
    this.mounted.add(rel);
  }
}
