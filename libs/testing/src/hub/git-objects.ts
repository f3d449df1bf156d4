import { createHash } from 'node:crypto';

/** The id git gives a blob: sha1 over `blob <size>\0<content>`. The Hub reports it as `oid` of a regular file. */
export const gitBlobOid = (content: Uint8Array): string => createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');

export const sha256Hex = (content: Uint8Array): string => createHash('sha256').update(content).digest('hex');

/** The pointer git stores in place of an LFS file; the Hub reports the pointer's blob id as the file's `oid`. */
export const lfsPointer = (sha256: string, size: number): Buffer =>
  Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`);
