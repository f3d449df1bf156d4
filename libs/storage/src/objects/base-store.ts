import { Readable } from 'node:stream';
import { InvalidObjectKeyError, ObjectNotFoundError, ObjectStoreError } from './errors.js';
import { CONTENT_KEY_PREFIX, checkKey, checkPrefix, contentKey } from './keys.js';
import {
  DEFAULT_URL_TTL_SECONDS,
  type ByteRange,
  type ListedObject,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStore,
  type ObjectUrl,
  type PutContentResult,
  type PutOptions,
  type StoredObject,
  type UrlOptions,
} from './port.js';
import { discard, spool, type Spooled } from './spool.js';

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** Anything that is not already one of ours becomes an ObjectStoreError naming what was attempted. */
export const wrap = (what: string, error: unknown): ObjectStoreError =>
  error instanceof ObjectStoreError ? error : new ObjectStoreError(`${what}: ${(error as Error)?.message ?? String(error)}`, { cause: error });

const checkRange = (range: ByteRange | undefined): void => {
  if (!range) return;
  const { offset, length } = range;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ObjectStoreError(`range offset must be an integer >= 0, got ${offset}`);
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) throw new ObjectStoreError(`range length must be an integer >= 0, got ${length}`);
};

/**
 * What both adapters share: key checks, hashing while spooling, content addressing and its put-if-absent,
 * and the in-memory reads. Every method is async, so even a refused key is a rejected promise. An adapter
 * provides the raw operations on already checked keys.
 */
export abstract class BaseObjectStore implements ObjectStore {
  abstract readonly kind: ObjectStore['kind'];
  abstract start(): Promise<void>;
  /** Where streamed bodies are spooled before the write. */
  protected abstract spoolDir(): string;
  protected abstract write(key: string, body: Spooled, contentType: string): Promise<void>;
  protected abstract headChecked(key: string): Promise<ObjectInfo | undefined>;
  /** A range with length 0 never reaches here. */
  protected abstract openChecked(key: string, range: ByteRange | undefined): Promise<Readable>;
  protected abstract deleteChecked(key: string): Promise<void>;
  protected abstract listChecked(prefix: string): Promise<ListedObject[]>;
  protected abstract urlChecked(key: string, ttlSeconds: number): Promise<ObjectUrl>;

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<StoredObject> {
    checkKey(key);
    // Content keys promise that the bytes hash to the key; only putContent can keep that promise.
    if (key.startsWith(CONTENT_KEY_PREFIX)) throw new InvalidObjectKeyError(key, `keys under ${CONTENT_KEY_PREFIX} are written by putContent only`);
    const contentType = options.contentType ?? DEFAULT_CONTENT_TYPE;
    const spooled = await this.spool(key, body);
    try {
      await this.write(key, spooled, contentType);
    } finally {
      await discard(spooled);
    }
    return { key, size: spooled.size, sha256: spooled.sha256, contentType };
  }

  async putContent(body: ObjectBody, options: PutOptions = {}): Promise<PutContentResult> {
    const spooled = await this.spool('content-addressed object', body);
    try {
      const key = contentKey(spooled.sha256);
      const existing = await this.headChecked(key);
      // Same key, same bytes: a second writer (or a retry) has nothing to add, and racing writers write equal bytes.
      if (existing) return { key, size: spooled.size, sha256: spooled.sha256, contentType: existing.contentType, created: false };
      const contentType = options.contentType ?? DEFAULT_CONTENT_TYPE;
      await this.write(key, spooled, contentType);
      return { key, size: spooled.size, sha256: spooled.sha256, contentType, created: true };
    } finally {
      await discard(spooled);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    return this.headChecked(checkKey(key));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async getStream(key: string, range?: ByteRange): Promise<Readable> {
    checkKey(key);
    checkRange(range);
    if (range?.length === 0) {
      if (!(await this.headChecked(key))) throw new ObjectNotFoundError(key);
      return Readable.from([]);
    }
    return this.openChecked(key, range);
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const stream = await this.getStream(key, range);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    } catch (error) {
      throw wrap(`read ${key}`, error);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  async delete(key: string): Promise<void> {
    return this.deleteChecked(checkKey(key));
  }

  async list(prefix: string): Promise<ListedObject[]> {
    return this.listChecked(checkPrefix(prefix));
  }

  async url(key: string, options: UrlOptions = {}): Promise<ObjectUrl> {
    const ttl = options.ttlSeconds ?? DEFAULT_URL_TTL_SECONDS;
    // SigV4 presigned URLs are valid for at most 7 days.
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 604_800) throw new ObjectStoreError(`ttlSeconds must be an integer in 1..604800, got ${ttl}`);
    return this.urlChecked(checkKey(key), ttl);
  }

  private async spool(what: string, body: ObjectBody): Promise<Spooled> {
    try {
      return await spool(body, this.spoolDir());
    } catch (error) {
      throw wrap(`read the body of ${what}`, error);
    }
  }
}
