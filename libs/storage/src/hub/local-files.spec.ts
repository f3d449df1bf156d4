import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubOptionsFromEnv } from './config.js';
import { destinationOf, listAgentFiles } from './local-files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinitro-local-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('listAgentFiles', () => {
  it('lists regular files with repo paths and sizes, skipping .git', async () => {
    const agent = join(dir, 'agent');
    await mkdir(join(agent, 'pkg'), { recursive: true });
    await mkdir(join(agent, '.git'), { recursive: true });
    await writeFile(join(agent, 'kinitro.json'), '{}');
    await writeFile(join(agent, 'pkg', 'policy.py'), 'pass\n');
    await writeFile(join(agent, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    expect((await listAgentFiles(agent)).map((f) => [f.path, f.size])).toEqual([
      ['kinitro.json', 2],
      ['pkg/policy.py', 5],
    ]);
  });

  it('refuses a symbolic link instead of following it out of the directory', async () => {
    const linked = join(dir, 'linked');
    await mkdir(linked);
    await symlink('/etc/hostname', join(linked, 'escape'));
    await expect(listAgentFiles(linked)).rejects.toThrow(/escape is not a regular file/);
  });
});

describe('destinationOf', () => {
  it('places repo paths under the destination', () => {
    expect(destinationOf('/tmp/agent', 'pkg/policy.py')).toBe('/tmp/agent/pkg/policy.py');
  });

  it.each(['../outside', 'pkg/../../outside', '..'])('refuses %s', (path) => {
    expect(() => destinationOf('/tmp/agent', path)).toThrow(/outside/);
  });
});

describe('hubOptionsFromEnv', () => {
  it('reads HF_ENDPOINT and HF_TOKEN', () => {
    expect(hubOptionsFromEnv({ HF_ENDPOINT: 'http://127.0.0.1:9000', HF_TOKEN: 'hf_abc' })).toEqual({ hubUrl: 'http://127.0.0.1:9000', token: 'hf_abc' });
    expect(hubOptionsFromEnv({})).toEqual({});
  });

  it('names the variable that is wrong', () => {
    expect(() => hubOptionsFromEnv({ HF_ENDPOINT: 'huggingface.co' })).toThrow(/^HF_ENDPOINT/);
    expect(() => hubOptionsFromEnv({ HF_TOKEN: 'secret' })).toThrow(/^HF_TOKEN/);
  });
});
