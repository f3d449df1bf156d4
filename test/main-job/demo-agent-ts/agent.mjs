// The main job's miner agent in TypeScript, for machines without Python's gRPC: the same controllers as
// ../demo-agent/agent.py. The runtime provides the SDK read-only and names it in $KINITRO_AGENT_SDK.
import { pathToFileURL } from 'node:url';

const sdk = process.env.KINITRO_AGENT_SDK;
if (!sdk) throw new Error('KINITRO_AGENT_SDK is not set: run this agent in the kinitro node runtime');
const { serveAgentFromCommandLine } = await import(pathToFileURL(sdk).href);

const GAIN = 5;
let task = '';

await serveAgentFromCommandLine({
  name: 'demo-agent-ts',
  version: '1.0.0',
  reset: (_seed, name) => {
    task = name;
  },
  act: ({ state }) => {
    const s = state.data;
    // CartPole-v1: push toward where the pole is falling.
    if (task === 'CartPole-v1') return BigInt64Array.of(s[2] + 0.5 * s[3] > 0 ? 1n : 0n);
    // MetaWorld: the hand toward the goal (the last three state values), gripper open.
    const n = s.length;
    return Float32Array.of((s[n - 3] - s[0]) * GAIN, (s[n - 2] - s[1]) * GAIN, (s[n - 1] - s[2]) * GAIN, 0);
  },
});
