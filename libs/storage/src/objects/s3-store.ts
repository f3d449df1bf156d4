import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { Client, S3Error } from 'minio';
import { BaseObjectStore, DEFAULT_CONTENT_TYPE, wrap } from './base-store.js';
import { ObjectNotFoundError, ObjectStoreError } from './errors.js';
import type { ByteRange, ListedObject, ObjectInfo, ObjectUrl } from './port.js';
import type { Spooled } from './spool.js';

export interface S3ObjectStoreOptions {
  /** `http(s)://host[:port]` of the S3 API (MinIO, R2, Ceph RGW, AWS). */
  endpoint: string;
  region: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  /** `https://bucket.host/key` (false) or `https://host/bucket/key` (true: MinIO, RGW). */
  pathStyle: boolean;
  /** Whether start() creates a missing bucket; otherwise a missing bucket stops start-up. */
  createBucket: boolean;
  /** Directory streamed bodies are spooled to before the upload; the OS temp dir by default. */
  spoolDir?: string;
  /** Retries of a failed request inside the client (1 by default); 0 for tests of an unreachable server. */
  retries?: number;
}

/** The sha256 travels as user metadata (`x-amz-meta-sha256`); the client hands it back lowercased, unprefixed. */
const SHA256_META = 'sha256';

const codeOf = (error: unknown): string | undefined => (error instanceof S3Error ? (error as S3Error & { code?: string }).code : undefined);

/**
 * Objects in one S3 bucket through the `minio` client. A body is spooled first (hashed on the way), so the
 * upload carries its sha256 as metadata and a content key is known before anything is sent.
 */
export class S3ObjectStore extends BaseObjectStore {
  readonly kind = 's3' as const;
  private readonly client: Client;
  private readonly bucket: string;

  constructor(private readonly options: S3ObjectStoreOptions) {
    super();
    const url = new URL(options.endpoint);
    const useSSL = url.protocol === 'https:';
    this.client = new Client({
      endPoint: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : useSSL ? 443 : 80,
      useSSL,
      region: options.region,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      pathStyle: options.pathStyle,
      // The client reads a body up to one part into memory (and copies it once more); 8 MiB parts keep a
      // 20 MiB frames object from being held whole, twice, at the cost of a multipart upload above 8 MiB.
      partSize: 8 * 1024 * 1024,
      ...(options.retries !== undefined && { retryOptions: { disableRetry: options.retries === 0, maximumRetryCount: options.retries } }),
    });
    this.bucket = options.bucket;
  }

  async start(): Promise<void> {
    let exists: boolean;
    try {
      exists = await this.client.bucketExists(this.bucket);
    } catch (error) {
      throw wrap(`check bucket ${this.bucket} at ${this.options.endpoint}`, error);
    }
    if (exists) return;
    if (!this.options.createBucket)
      throw new ObjectStoreError(`bucket ${this.bucket} does not exist at ${this.options.endpoint} (create it, or set S3_CREATE_BUCKET=true)`);
    try {
      await this.client.makeBucket(this.bucket, this.options.region);
    } catch (error) {
      // Another instance created it first.
      if (codeOf(error) !== 'BucketAlreadyOwnedByYou') throw wrap(`create bucket ${this.bucket}`, error);
    }
  }

  /** Removes the bucket and every object in it: for tests, which take a bucket each. */
  async destroyBucket(): Promise<void> {
    try {
      for (const { key } of await this.list('')) await this.client.removeObject(this.bucket, key);
      await this.client.removeBucket(this.bucket);
    } catch (error) {
      if (codeOf(error) !== 'NoSuchBucket') throw wrap(`remove bucket ${this.bucket}`, error);
    }
  }

  protected spoolDir(): string {
    return this.options.spoolDir ?? tmpdir();
  }

  protected async write(key: string, body: Spooled, contentType: string): Promise<void> {
    const meta = { 'Content-Type': contentType, [`X-Amz-Meta-${SHA256_META}`]: body.sha256 };
    try {
      const data = body.bytes ? Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength) : createReadStream(body.file);
      await this.client.putObject(this.bucket, key, data, body.size, meta);
    } catch (error) {
      throw wrap(`put ${key}`, error);
    }
  }

  protected async headChecked(key: string): Promise<ObjectInfo | undefined> {
    try {
      const stat = await this.client.statObject(this.bucket, key);
      const sha256 = stat.metaData[SHA256_META] as string | undefined;
      return {
        key,
        size: stat.size,
        sha256: typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256) ? sha256 : undefined,
        contentType: (stat.metaData['content-type'] as string | undefined) ?? DEFAULT_CONTENT_TYPE,
        lastModified: stat.lastModified,
      };
    } catch (error) {
      const code = codeOf(error);
      if (code !== 'NotFound' && code !== 'NoSuchKey') throw wrap(`head ${key}`, error);
    }
    // A HEAD answers a bare 404 for a missing bucket too; only a present bucket makes it "no such object".
    await this.requireBucket();
    return undefined;
  }

  protected async openChecked(key: string, range: ByteRange | undefined): Promise<Readable> {
    try {
      return range && (range.offset > 0 || range.length !== undefined)
        ? await this.client.getPartialObject(this.bucket, key, range.offset, range.length)
        : await this.client.getObject(this.bucket, key);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'NoSuchKey') throw new ObjectNotFoundError(key, { cause: error });
      // Past the end of an existing object: nothing to read, as on the filesystem.
      if (code === 'InvalidRange') return Readable.from([]);
      throw wrap(`get ${key}`, error);
    }
  }

  protected async deleteChecked(key: string): Promise<void> {
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (error) {
      throw wrap(`delete ${key}`, error);
    }
  }

  protected async listChecked(prefix: string): Promise<ListedObject[]> {
    const listed: ListedObject[] = [];
    try {
      for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
        const { name, size, lastModified } = item as { name?: string; size: number; lastModified: Date };
        if (name !== undefined) listed.push({ key: name, size, lastModified });
      }
    } catch (error) {
      throw wrap(`list ${prefix}`, error);
    }
    return listed;
  }

  protected async urlChecked(key: string, ttlSeconds: number): Promise<ObjectUrl> {
    try {
      const requestDate = new Date();
      const url = await this.client.presignedGetObject(this.bucket, key, ttlSeconds, {}, requestDate);
      return { url, expiresAt: new Date(requestDate.getTime() + ttlSeconds * 1000) };
    } catch (error) {
      throw wrap(`presign ${key}`, error);
    }
  }

  private async requireBucket(): Promise<void> {
    let exists: boolean;
    try {
      exists = await this.client.bucketExists(this.bucket);
    } catch (error) {
      throw wrap(`check bucket ${this.bucket}`, error);
    }
    if (!exists) throw new ObjectStoreError(`bucket ${this.bucket} does not exist at ${this.options.endpoint}`);
  }
}
