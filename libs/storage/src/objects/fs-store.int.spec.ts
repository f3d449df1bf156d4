import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from './fs-store.js';
import { objectStoreContract } from './object-store.contract.js';

objectStoreContract('filesystem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kinitro-objects-'));
  // The store's directory is a regular file: every operation fails, none may say "not found".
  const notADir = join(dir, 'not-a-directory');
  await writeFile(notADir, 'x');
  return {
    store: new FsObjectStore({ dir: join(dir, 'store') }),
    broken: new FsObjectStore({ dir: notADir }),
    presigns: false,
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});
