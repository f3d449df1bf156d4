import type { Readable } from 'node:stream';

/** What a put sends: bytes in memory or a stream (read once, never held whole in memory by the store). */
export type ObjectBody = Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface PutOptions {
  /** Stored with the object and served with it; `application/octet-stream` when not given. */
  contentType?: string;
}

export interface StoredObject {
  key: string;
  size: number;
  /** Lowercase hex sha256 of the bytes, computed by the store while writing. */
  sha256: string;
  contentType: string;
}

export interface PutContentResult extends StoredObject {
  /** False when an object with the same content was already there (the put was a no-op). */
  created: boolean;
}

export interface ObjectInfo {
  key: string;
  size: number;
  /** Known for objects this store wrote; undefined when the object came from elsewhere. */
  sha256: string | undefined;
  contentType: string;
  lastModified: Date;
}

/** What a listing gives without a request per object (use head for the rest). */
export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
}

/** A byte range: `length` bytes from `offset` (to the end when omitted). Past the end reads nothing. */
export interface ByteRange {
  offset: number;
  length?: number;
}

export type ObjectUrl = { url: string; expiresAt: Date | undefined } | { url: undefined; reason: string };

export interface UrlOptions {
  /** How long a presigned URL stays valid; DEFAULT_URL_TTL_SECONDS when not given. */
  ttlSeconds?: number;
}

export const DEFAULT_URL_TTL_SECONDS = 300;

/**
 * Object storage for what is too large for an event (trajectories, frames): written first, under a
 * content-addressed key, then referenced by key from the event. URLs are minted on read and never stored.
 * Every method throws ObjectStoreError (or its ObjectNotFoundError / InvalidObjectKeyError) and nothing else.
 */
export interface ObjectStore {
  readonly kind: 'fs' | 's3';
  /** Makes the store usable (the directory, the bucket, created when allowed); call once at start-up. */
  start(): Promise<void>;
  /** Writes the object under `key`, replacing one that is there. */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<StoredObject>;
  /** Writes the object under contentKey(sha256 of the bytes) unless that key already exists (then a no-op). */
  putContent(body: ObjectBody, options?: PutOptions): Promise<PutContentResult>;
  /** The object's metadata, or undefined when there is none under `key`. */
  head(key: string): Promise<ObjectInfo | undefined>;
  exists(key: string): Promise<boolean>;
  /** The object's bytes (or a range of them) as a stream; ObjectNotFoundError when missing. */
  getStream(key: string, range?: ByteRange): Promise<Readable>;
  /** The object's bytes (or a range of them) in memory; ObjectNotFoundError when missing. */
  get(key: string, range?: ByteRange): Promise<Uint8Array>;
  /** Removes the object; missing is not an error. For tests and operations: evaluation data is never deleted. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix` ('' for all), in key order. Held in memory: keep prefixes narrow. */
  list(prefix: string): Promise<ListedObject[]>;
  /** A URL a browser can GET the object from: presigned with a short TTL (S3), or why there is none. */
  url(key: string, options?: UrlOptions): Promise<ObjectUrl>;
}
