import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectBody } from './port.js';

/**
 * A put's body once the store knows its size and sha256: the bytes themselves, or a temporary file the
 * stream was written to while hashing (so a stream is read once and never held whole in memory, and the
 * content key and the sha256 metadata are known before the upload starts).
 */
export type Spooled = { size: number; sha256: string } & ({ bytes: Uint8Array; file?: never } | { file: string; bytes?: never });

export const spool = async (body: ObjectBody, dir: string): Promise<Spooled> => {
  if (body instanceof Uint8Array) return { bytes: body, size: body.byteLength, sha256: createHash('sha256').update(body).digest('hex') };
  const file = join(dir, `.spool-${randomUUID()}`);
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.byteLength;
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, measure, createWriteStream(file, { flags: 'wx' }));
  } catch (error) {
    await rm(file, { force: true }).catch(() => undefined);
    throw error;
  }
  return { file, size, sha256: hash.digest('hex') };
};

/** Removes a spooled body's temporary file (after it was renamed into place this is a no-op). */
export const discard = async (spooled: Spooled): Promise<void> => {
  if (spooled.file) await rm(spooled.file, { force: true });
};
