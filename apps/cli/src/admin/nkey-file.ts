import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlagSpecs } from '../args.js';
import { Failure } from '../command.js';

/** The file a new NATS user's nkey seed goes to, under `--out`: the path NATS_NKEY_SEED_FILE then names. */
export const SEED_FILE = 'nats-user.nk';

/** The `--out` flag of the commands that create a seed with writeUserSeed. */
export const seedOutFlag = {
  out: { kind: 'value', required: true, description: 'directory the NATS user seed is written to (created 0700; the seed file 0600)' },
} satisfies FlagSpecs;

/**
 * Creates a NATS user nkey and writes its seed to `<dir>/nats-user.nk`, readable by its owner only (0600, the
 * directory 0700 when it is created). An existing seed is never overwritten: the server may already know its key.
 */
export const writeUserSeed = async (dir: string): Promise<{ path: string; publicKey: string }> => {
  const { createUser } = await import('@nats-io/nkeys');
  const user = createUser();
  const path = join(dir, SEED_FILE);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(path, `${new TextDecoder().decode(user.getSeed())}\n`, { mode: 0o600, flag: 'wx' });
    // The mode given to writeFile passes through the umask: set it whatever the umask says.
    await chmod(path, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new Failure(`${path} exists: a seed is never overwritten (the server may already know its key); choose another --out`, { cause: error });
    throw new Failure(`cannot write ${path} (${code ?? (error as Error).message})`, { cause: error });
  }
  return { path, publicKey: user.getPublicKey() };
};
