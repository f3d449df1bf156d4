import { describe, expect, it } from '@jest/globals';
import type { AgentManifest } from '#domain';
import { runtimeLaunch, runtimeLayoutOf } from './agent-runtime.js';

const layout = runtimeLayoutOf('/srv/kinitro');
const manifest = (runtime: AgentManifest['runtime'], command: string, args: string[]): AgentManifest => ({
  name: 'a',
  version: '1.0.0',
  protocol: 'grpc',
  agentApiVersion: 'v1',
  ...(runtime && { runtime }),
  entrypoint: { command, args },
});

describe('runtimeLaunch', () => {
  it('python3: Debian python with the SDK directory mounted and on PYTHONPATH', () => {
    expect(runtimeLaunch(manifest('python3', 'python3', ['-m', 'kinitro_agent.serve', '--agent', 'agent:A']), layout)).toEqual({
      command: '/usr/bin/python3',
      args: ['-m', 'kinitro_agent.serve', '--agent', 'agent:A'],
      runtimeDirs: ['/srv/kinitro/sdk/python'],
      env: { PYTHONPATH: '/srv/kinitro/sdk/python' },
    });
  });

  it('node: this Node, the built libs, node_modules and package.json mounted, the SDK named in KINITRO_AGENT_SDK', () => {
    const launch = runtimeLaunch(manifest('node', 'node', ['agent.mjs']), layout);
    expect(launch).toMatchObject({
      command: process.execPath,
      args: ['agent.mjs'],
      env: { KINITRO_AGENT_SDK: '/srv/kinitro/dist/libs/agent/src/sdk/index.js' },
    });
    expect(launch.runtimeDirs.slice(-3)).toEqual(['/srv/kinitro/dist/libs', '/srv/kinitro/node_modules', '/srv/kinitro/package.json']);
  });

  it('without a runtime, the command decides; another command runs as given', () => {
    expect(runtimeLaunch(manifest(undefined, 'node', ['a.mjs']), layout).env).toHaveProperty('KINITRO_AGENT_SDK');
    expect(runtimeLaunch(manifest(undefined, 'python', ['-m', 'x']), layout).command).toBe('/usr/bin/python3');
    expect(runtimeLaunch(manifest('python3', '/agent/run.sh', []), layout).command).toBe('/agent/run.sh');
  });
});
