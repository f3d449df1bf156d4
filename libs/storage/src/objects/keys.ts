import { InvalidObjectKeyError } from './errors.js';

/** S3 allows 1024 bytes of UTF-8 in a key. */
export const MAX_KEY_BYTES = 1024;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Where content-addressed keys live; put() refuses keys here, so each holds bytes that hash to it. */
export const CONTENT_KEY_PREFIX = 'sha256/';

/** The one place content-addressed keys are made: `sha256/<64 lowercase hex>`. */
export const contentKey = (sha256Hex: string): string => {
  if (!SHA256_HEX.test(sha256Hex)) throw new InvalidObjectKeyError(sha256Hex, 'a content key needs a 64-hex lowercase sha256');
  return `${CONTENT_KEY_PREFIX}${sha256Hex}`;
};

/** The sha256 a content-addressed key names, or undefined for any other key. */
export const sha256OfContentKey = (key: string): string | undefined => {
  const hex = key.startsWith(CONTENT_KEY_PREFIX) ? key.slice(CONTENT_KEY_PREFIX.length) : '';
  return SHA256_HEX.test(hex) ? hex : undefined;
};

/**
 * Keys are '/'-separated relative paths that mean the same thing on every adapter: no empty, `.` or `..`
 * segment, no leading or trailing '/', no backslash and no control character. Refusing these up front is what
 * keeps the filesystem adapter inside its directory and keys portable between adapters.
 */
export const checkKey = (key: string): string => {
  const refuse = (reason: string): never => {
    throw new InvalidObjectKeyError(key, reason);
  };
  if (typeof key !== 'string' || key.length === 0) refuse('must not be empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) refuse(`longer than ${MAX_KEY_BYTES} bytes`);
  if (Buffer.from(key, 'utf8').toString('utf8') !== key) refuse('is not well-formed Unicode (a lone surrogate)');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) refuse('contains a control character');
  if (key.includes('\\')) refuse('contains a backslash');
  if (key.startsWith('/')) refuse('must be relative (starts with /)');
  for (const segment of key.split('/')) {
    if (segment === '') refuse('has an empty segment (// or a trailing /)');
    if (segment === '.' || segment === '..') refuse(`has a "${segment}" segment`);
  }
  return key;
};

/** A listing prefix: '' (everything) or what a key may start with; the same characters as keys. */
export const checkPrefix = (prefix: string): string => {
  if (prefix === '') return prefix;
  // A prefix may end with '/' or stop mid-segment; check it as the key it would start.
  checkKey(prefix.endsWith('/') ? `${prefix}x` : prefix);
  return prefix;
};
