import { EXPERTS } from '#sim';
import { serveAgentFromCommandLine, type Agent } from '../sdk/serve.js';
import { STATE } from '../tensor/spec.js';

/**
 * A well-behaved TypeScript agent: MetaWorld's reach-v3 scripted expert from libs/sim, served over gRPC.
 * Run: node dist/libs/agent/src/examples/reach-expert-agent.js --socket /tmp/agent.sock
 */
export const reachExpertAgent: Agent = {
  name: 'reach-expert-ts',
  version: '1.0.0',
  // Stateless, so episodes may run side by side (the evaluator's simulation of one overlaps this agent's work on another).
  maxConcurrentEpisodes: 32,
  reset: () => {},
  act: (observation) => EXPERTS['reach-v3']!.act(observation[STATE]!.data as Float64Array),
};

if (import.meta.url === `file://${process.argv[1]}`) await serveAgentFromCommandLine(reachExpertAgent);
