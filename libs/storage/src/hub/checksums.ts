import { createHash } from 'node:crypto';
import type { RepoFile } from './port.js';

/**
 * The checksum the Hub lists for a file, computed incrementally while it downloads: sha256 of the content for
 * an LFS file, otherwise git's blob id (sha1 over `blob <size>\0<content>`).
 */
export interface FileChecksum {
  readonly expected: string;
  update(chunk: Uint8Array): void;
  digest(): string;
}

export const checksumFor = (file: RepoFile): FileChecksum => {
  const [algorithm, expected, hash] = file.sha256
    ? ['sha256', file.sha256, createHash('sha256')]
    : ['git blob', file.gitOid, createHash('sha1').update(`blob ${file.size}\0`)];
  return {
    expected: `${algorithm} ${expected}`,
    update: (chunk) => void hash.update(chunk),
    digest: () => `${algorithm} ${hash.digest('hex')}`,
  };
};
