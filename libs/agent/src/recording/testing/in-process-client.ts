import type { Observation } from '#sim';
import type { AgentClient } from '../../client/client.js';
import type { NamedTensors, TensorValue } from '../../tensor/codec.js';
import { ACTION, STATE } from '../../tensor/spec.js';

/**
 * For unit tests: what runAgentEpisode needs of an AgentClient (startEpisode, its episode's act and end) answered in
 * process by `policy`, without gRPC. The integration tests run real agents over gRPC.
 */
export const inProcessClient = (policy: (observation: Observation, step: number) => TensorValue): Pick<AgentClient, 'startEpisode'> =>
  ({
    startEpisode: async () => ({
      act: async (inputs: NamedTensors, step: number) => ({ [ACTION]: policy(inputs[STATE]!.data as Observation, step) }),
      end: () => {},
    }),
  }) as unknown as Pick<AgentClient, 'startEpisode'>;

export const discreteAction = (n: number): TensorValue => ({ dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt(n)) });
export const boxAction = (...values: number[]): TensorValue => ({ dtype: 'float32', shape: [values.length], data: Float32Array.from(values) });
