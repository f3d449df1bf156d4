import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { NotFound } from '#read-models';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { sha256OfContentKey, type ByteRange, type ObjectStore } from '#storage';
import { OBJECT_STORE } from '../infrastructure/tokens.js';

/** The parts of Express's request the serving uses (the project does not ship @types/express). */
export interface ObjectRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** Express's Range parsing (jshttp/range-parser): -1 unsatisfiable, -2 malformed. */
  range(size: number, options?: { combine?: boolean }): -1 | -2 | undefined | ({ start: number; end: number }[] & { type: string });
}

export interface ObjectResponse extends Writable {
  headersSent: boolean;
  setHeader(name: string, value: string | number): void;
  status(code: number): ObjectResponse;
  end(): this;
  redirect(status: number, url: string): void;
}

/** Content-addressed bytes never change: cache for a year, and never revalidate. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Streams an object from the store with what a browser or a video/image client needs: its content type, its
 * sha256 as a strong ETag (304 on If-None-Match), immutable caching and single byte ranges (206, or 416 with
 * `Content-Range: bytes *\/size`). Several ranges are answered with the whole object, which HTTP allows.
 */
@Injectable()
export class ObjectServing {
  constructor(@Inject(OBJECT_STORE) private readonly store: ObjectStore) {}

  async send(key: string, request: ObjectRequest, response: ObjectResponse): Promise<void> {
    const info = await this.store.head(key);
    if (!info) throw new NotFound('object', key);
    const sha256 = info.sha256 ?? sha256OfContentKey(key);
    const etag = sha256 ? `"${sha256}"` : undefined;
    const ranges = request.headers.range === undefined ? undefined : request.range(info.size, { combine: true });
    if (ranges === -1) {
      response.setHeader('Content-Range', `bytes */${info.size}`);
      throw new HttpException(`range not satisfiable: ${key} has ${info.size} bytes`, HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
    }
    const range = Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0]! : undefined;

    response.setHeader('Content-Type', info.contentType);
    response.setHeader('Accept-Ranges', 'bytes');
    response.setHeader('Cache-Control', IMMUTABLE);
    // Served from the API's origin: never rendered as a document, and usable by a dashboard on another origin.
    response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (etag) response.setHeader('ETag', etag);
    if (etag && request.headers['if-none-match'] === etag) {
      response.status(HttpStatus.NOT_MODIFIED).end();
      return;
    }
    const byteRange: ByteRange | undefined = range && { offset: range.start, length: range.end - range.start + 1 };
    if (range) {
      response.status(HttpStatus.PARTIAL_CONTENT);
      response.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
    }
    response.setHeader('Content-Length', byteRange?.length ?? info.size);
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const body = await this.store.getStream(key, byteRange);
    try {
      await pipeline(body, response);
    } catch (error) {
      // Headers are out: the client sees a truncated body (Content-Length tells it), the log sees why.
      if (!response.headersSent) throw error;
      response.destroy(error as Error);
    }
  }
}
