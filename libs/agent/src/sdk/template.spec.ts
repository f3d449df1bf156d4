import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { readLocalManifest } from '#storage';

/** `kinitro miner upload` checks the directory with readLocalManifest before anything leaves the machine. */
describe.each([
  ['the Python template', 'sdk/python/template', 'agent:MyAgent'],
  ['the Python reach-v3 example', 'sdk/python/examples/reach_expert', 'agent:ReachExpert'],
])('%s', (_name, dir, agent) => {
  it('is accepted by the upload validation, serving through the SDK entry point', async () => {
    const manifest = await readLocalManifest(resolve(dir));
    expect(manifest).toMatchObject({
      protocol: 'grpc',
      agentApiVersion: 'v1',
      runtime: 'python3',
      entrypoint: { command: 'python3', args: ['-m', 'kinitro_agent.serve', '--agent', agent] },
    });
  });
});
