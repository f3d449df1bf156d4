import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { BaseObjectStore, DEFAULT_CONTENT_TYPE, wrap } from './base-store.js';
import { InvalidObjectKeyError, ObjectNotFoundError, ObjectStoreError } from './errors.js';
import { sha256OfContentKey } from './keys.js';
import type { ByteRange, ListedObject, ObjectInfo, ObjectUrl } from './port.js';
import type { Spooled } from './spool.js';

export interface FsObjectStoreOptions {
  /** The store's directory: objects under `objects/<key>`, their metadata under `meta/<key>`, temp files in `tmp/`. */
  dir: string;
  /** Where `objects/` is served over HTTP (by a static file server the operator runs); no URLs without it. */
  publicBaseUrl?: string;
}

/** What the store knows about an object beyond its bytes; `ino` ties it to the data file it was written with. */
interface FsMeta {
  contentType: string;
  sha256: string;
  size: number;
  ino: number;
}

const isMissing = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException)?.code ?? '');

/**
 * Objects as files: the embedded default, nothing to install. Writes go to a temp file in the store's own
 * `tmp/` (same filesystem) and are renamed into place, so a reader sees the old object or the new one, never
 * part of one. Metadata is written (and renamed) first and records the data file's inode, so a crash between
 * the two renames leaves metadata that is recognisably not the data's (reported as unknown, never wrong).
 * Keys map one to one onto paths under `objects/` (checkKey refuses anything that could leave it); as on any
 * filesystem, a key cannot also be a prefix directory of another (`a` and `a/b`).
 */
export class FsObjectStore extends BaseObjectStore {
  readonly kind = 'fs' as const;
  private readonly root: string;
  private readonly objectsDir: string;
  private readonly metaDir: string;
  private readonly tmpDir: string;

  constructor(private readonly options: FsObjectStoreOptions) {
    super();
    this.root = resolve(options.dir);
    this.objectsDir = join(this.root, 'objects');
    this.metaDir = join(this.root, 'meta');
    this.tmpDir = join(this.root, 'tmp');
  }

  async start(): Promise<void> {
    try {
      for (const dir of [this.objectsDir, this.metaDir, this.tmpDir]) await mkdir(dir, { recursive: true });
    } catch (error) {
      throw wrap(`prepare the object store directory ${this.root}`, error);
    }
  }

  /** The data file of a checked key; the containment check is a second guard behind checkKey. */
  pathOf(key: string, base = this.objectsDir): string {
    const path = join(base, ...key.split('/'));
    if (!path.startsWith(base + sep) || relative(base, path).split(sep).includes('..')) throw new InvalidObjectKeyError(key, 'leaves the store directory');
    return path;
  }

  protected spoolDir(): string {
    return this.tmpDir;
  }

  protected async write(key: string, body: Spooled, contentType: string): Promise<void> {
    const dataPath = this.pathOf(key);
    const metaPath = this.pathOf(key, this.metaDir);
    const metaTmp = join(this.tmpDir, `.meta-${randomUUID()}`);
    let dataTmp = body.file;
    try {
      if (!dataTmp) {
        dataTmp = join(this.tmpDir, `.put-${randomUUID()}`);
        await this.writeDurably(dataTmp, body.bytes!);
      } else {
        const handle = await open(dataTmp, 'r+');
        await handle.sync().finally(() => handle.close());
      }
      const { ino } = await stat(dataTmp);
      const meta: FsMeta = { contentType, sha256: body.sha256, size: body.size, ino };
      await this.writeDurably(metaTmp, Buffer.from(JSON.stringify(meta)));
      await mkdir(dirname(metaPath), { recursive: true });
      await rename(metaTmp, metaPath);
      await mkdir(dirname(dataPath), { recursive: true });
      await rename(dataTmp, dataPath);
    } catch (error) {
      // Best effort: the write's own error is the one to report.
      await rm(metaTmp, { force: true }).catch(() => undefined);
      if (dataTmp && dataTmp !== body.file) await rm(dataTmp, { force: true }).catch(() => undefined);
      throw wrap(`write ${key}`, error);
    }
  }

  protected async headChecked(key: string): Promise<ObjectInfo | undefined> {
    let data;
    try {
      data = await stat(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) throw wrap(`stat ${key}`, error);
      await this.checkRoot();
      return undefined;
    }
    if (!data.isFile()) return undefined;
    const meta = await this.readMeta(key);
    const current = meta?.ino === data.ino && meta.size === data.size ? meta : undefined;
    return {
      key,
      size: data.size,
      // Concurrent putContent of the same bytes may leave the other writer's metadata; the key still names them.
      sha256: current?.sha256 ?? sha256OfContentKey(key),
      contentType: current?.contentType ?? DEFAULT_CONTENT_TYPE,
      lastModified: data.mtime,
    };
  }

  protected async openChecked(key: string, range: ByteRange | undefined): Promise<Readable> {
    let handle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      if (!isMissing(error) && (error as NodeJS.ErrnoException).code !== 'EISDIR') throw wrap(`open ${key}`, error);
      await this.checkRoot();
      throw new ObjectNotFoundError(key, { cause: error });
    }
    if (!(await handle.stat()).isFile()) {
      // A directory: the key is only a prefix of other keys.
      await handle.close();
      throw new ObjectNotFoundError(key);
    }
    const start = range?.offset ?? 0;
    const end = range?.length === undefined ? undefined : start + range.length - 1;
    return createReadStream('', { fd: handle, start, ...(end !== undefined && { end }) });
  }

  protected async deleteChecked(key: string): Promise<void> {
    try {
      await rm(this.pathOf(key), { force: true });
      await rm(this.pathOf(key, this.metaDir), { force: true });
    } catch (error) {
      if (!isMissing(error)) throw wrap(`delete ${key}`, error);
    }
  }

  protected async listChecked(prefix: string): Promise<ListedObject[]> {
    // Walk only the deepest directory the prefix names.
    const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const from = dirPart ? this.pathOf(dirPart) : this.objectsDir;
    let entries;
    try {
      entries = await readdir(from, { recursive: true, withFileTypes: true });
    } catch (error) {
      if (!isMissing(error)) throw wrap(`list ${prefix}`, error);
      await this.checkRoot();
      return [];
    }
    const listed: ListedObject[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const key = relative(this.objectsDir, path).split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      try {
        const { size, mtime } = await stat(path);
        listed.push({ key, size, lastModified: mtime });
      } catch (error) {
        // Deleted while listing: not part of the answer.
        if (!isMissing(error)) throw wrap(`list ${prefix}`, error);
      }
    }
    return listed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  protected async urlChecked(key: string): Promise<ObjectUrl> {
    const base = this.options.publicBaseUrl;
    if (!base)
      return { url: undefined, reason: 'the filesystem store serves no URLs unless OBJECT_STORE_PUBLIC_URL names where its objects/ directory is served' };
    const path = key.split('/').map(encodeURIComponent).join('/');
    return { url: new URL(path, base.endsWith('/') ? base : `${base}/`).toString(), expiresAt: undefined };
  }

  /**
   * A missing path means "no such object" only while the store's directory itself is there; without it the
   * store is broken (unmounted volume, wrong OBJECT_STORE_DIR), which must not read as a missing object.
   */
  private async checkRoot(): Promise<void> {
    let root;
    try {
      root = await stat(this.objectsDir);
    } catch (error) {
      throw new ObjectStoreError(`the object store directory ${this.objectsDir} is not there (was start() called?)`, { cause: error });
    }
    if (!root.isDirectory()) throw new ObjectStoreError(`the object store path ${this.objectsDir} is not a directory`);
  }

  private async readMeta(key: string): Promise<FsMeta | undefined> {
    try {
      return JSON.parse(await readFile(this.pathOf(key, this.metaDir), 'utf8')) as FsMeta;
    } catch {
      // Missing or unreadable metadata only means the sha256 and content type are unknown.
      return undefined;
    }
  }

  private async writeDurably(path: string, bytes: Uint8Array): Promise<void> {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
