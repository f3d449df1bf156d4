import type { Env, EpisodeOutcome } from '#sim';
import type { AgentClient } from './client/client.js';
import type { TensorValue } from './tensor/codec.js';
import { ACTION, STATE } from './tensor/spec.js';

export interface AgentEpisodeParams {
  readonly task: string;
  readonly seed: number;
  readonly benchmark?: string;
  readonly episodeIndex?: number;
  /** Called after every environment step with the number of steps taken (e.g. to render a frame). */
  readonly onStep?: (steps: number) => void;
}

/** The `action` tensor as the environment takes it (int64 values of a discrete space become numbers). */
const envAction = (action: TensorValue): ArrayLike<number> =>
  action.data instanceof BigInt64Array ? Array.from(action.data, Number) : action.data;

/**
 * Runs one episode of an agent behind `client` (already pinged with this task's spaces): Reset, then Act with the
 * `state` observation until termination or truncation. The same loop as libs/sim's runEpisode for an in-process
 * policy, so the two give identical outcomes for the same policy and seed.
 */
export const runAgentEpisode = async (env: Env, client: AgentClient, params: AgentEpisodeParams): Promise<EpisodeOutcome> => {
  await client.reset(params);
  let { observation } = env.reset({ seed: params.seed });
  const { dtype, shape } = env.observationSpace;
  let totalReward = 0;
  let steps = 0;
  let stepsToSuccess: number | undefined;
  for (;;) {
    const action = await client.act({ [STATE]: { dtype, shape, data: observation } }, steps);
    const result = env.step(envAction(action[ACTION]!));
    steps++;
    params.onStep?.(steps);
    totalReward += result.reward;
    if (result.info.success && stepsToSuccess === undefined) stepsToSuccess = steps;
    observation = result.observation;
    if (result.terminated || result.truncated) break;
  }
  return { seed: params.seed, success: stepsToSuccess !== undefined, totalReward, steps, stepsToSuccess };
};
