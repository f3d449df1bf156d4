import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/** What the JSON body parser reads (type-is patterns); `isJson` below accepts the same. */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/** application/json or a +json type, parameters (charset) aside; body-parser itself refuses a charset it cannot read. */
const isJson = (contentType: string | undefined): boolean => {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
};

/** The test body-parser uses: a request carries a body when it has a Transfer-Encoding or a non-zero Content-Length. */
const hasBody = ({ headers }: IncomingMessage): boolean =>
  headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');

/**
 * Every route of the API that reads a body reads JSON: any other body is 415, not a body-parser skip that reaches
 * validation as an empty object and comes back as a misleading 400.
 */
export const requireJsonBodies = (request: IncomingMessage, _response: unknown, next: (error?: unknown) => void): void => {
  if (!hasBody(request) || isJson(request.headers['content-type'])) return next();
  next(
    new UnsupportedMediaTypeException({
      error: 'Unsupported Media Type',
      message: 'request bodies must be application/json',
      problem: { header: 'content-type' },
    }),
  );
};
