import { AgentInvalidTensorError, TensorError } from '../errors.js';
import type { ActRequest, ActResponse } from '../generated/kinitro/agent/v1/agent.js';
import { decodeTensors, encodeTensors, type NamedTensors } from '../tensor/codec.js';
import { checkTensors, type TaskSpaces } from '../tensor/spec.js';
// The file, not the #platform barrel, which loads Nest: the SDK's local evaluation starts without it.
import { evaluationMetrics } from '../../../platform/src/metrics/evaluation-metrics.js';

/** How one episode's steps travel: its own ActStream, the session's shared one, batches on ActBatchStream, or unary Act calls. */
export interface StepTransport {
  readonly kind: 'stream' | 'batch' | 'unary';
  send(request: ActRequest): Promise<ActResponse>;
  /** The episode is over (its own stream is half-closed; a shared transport stays). */
  end(): void;
}

/**
 * One episode after its Reset, as AgentClient hands it out: every observation is checked against the task's
 * observation space on the way out, every action against its action space on the way in, and each step carries
 * the episode's id (empty for the session's one-at-a-time episode) so an agent can keep concurrent episodes apart.
 */
export class AgentEpisode {
  private ended = false;

  constructor(
    readonly spaces: TaskSpaces,
    /** The episode_id of its Reset and Acts ('' when the agent gets one episode at a time). */
    readonly id: string,
    private readonly transport: StepTransport,
  ) {}

  async act(observation: NamedTensors, step: number): Promise<NamedTensors> {
    checkTensors(observation, this.spaces.observation);
    const request: ActRequest = { observation: encodeTensors(observation), step, episodeId: this.id };
    const response = await evaluationMetrics.timeAct(this.transport.kind, () => this.transport.send(request));
    try {
      const action = decodeTensors(response.action);
      checkTensors(action, this.spaces.action);
      return action;
    } catch (error) {
      if (error instanceof TensorError) throw new AgentInvalidTensorError('act', error);
      throw error;
    }
  }

  /** Tells the agent the episode is over (over ActStream: half-closes the episode's stream). Idempotent. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.transport.end();
  }
}
