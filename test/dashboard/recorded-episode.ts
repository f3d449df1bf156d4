import { boxAction, inProcessClient } from '../../libs/agent/src/recording/testing/in-process-client.js';
import { EpisodeRecorder, runAgentEpisode, type CameraSpec, type EpisodeRecording } from '#agent';
import { newEvent } from '#contracts';
import { evaluationIdFor } from '#domain';
import type { EventStore } from '#eventing';
import { EXPERTS, makeMetaWorldEnv, type EpisodeOutcome } from '#sim';
import type { ObjectStore } from '#storage';
import { randomUUID } from 'node:crypto';

export const TASK = 'reach-v3';
/** Two cameras, a frame every 8 steps: 0, 8, …, 80 on an 80-step episode. */
export const CAMERA: CameraSpec = { names: ['corner', 'topview'], width: 64, height: 48, everyNSteps: 8 };
export const MAX_STEPS = 80;

export type PolicyName = 'expert' | 'idle';

const policies: Record<PolicyName, (observation: ArrayLike<number>) => number[]> = {
  expert: (o) => [...EXPERTS[TASK]!.act(o)],
  idle: () => [0, 0, 0, 0],
};

export interface RecordedEpisode {
  episodeId: string;
  outcome: EpisodeOutcome;
  recording: EpisodeRecording;
}

/**
 * A real reach-v3 episode (the MuJoCo simulation, the scripted expert or a policy that does nothing, answered in
 * process instead of over gRPC), recorded by the evaluator's EpisodeRecorder into `objects` (real sprite sheets
 * from the scene renderer, a real trajectory), then its EpisodeRecorded appended the way the evaluator does.
 */
export const recordEpisode = async (
  store: EventStore,
  objects: ObjectStore,
  at: { jobId: string; validator: string; seed: number; episodeIndex: number; policy: PolicyName; evaluatorLog?: string },
): Promise<RecordedEpisode> => {
  const env = await makeMetaWorldEnv(TASK);
  try {
    const recorder = new EpisodeRecorder({ env, task: TASK, seed: at.seed, episodeIndex: at.episodeIndex, maxSteps: MAX_STEPS, camera: CAMERA });
    const policy = policies[at.policy];
    const client = inProcessClient((observation) => boxAction(...policy(observation)));
    const started = performance.now();
    const outcome = await runAgentEpisode(env, client, { task: TASK, seed: at.seed, episodeIndex: at.episodeIndex, maxSteps: MAX_STEPS, ...recorder.hooks });
    const recording = await recorder.upload(objects);
    const log =
      at.evaluatorLog === undefined
        ? undefined
        : await objects.putContent(new TextEncoder().encode(at.evaluatorLog), { contentType: 'text/plain; charset=utf-8' });
    const episodeId = randomUUID();
    await store.append(
      'episode',
      episodeId,
      [
        newEvent('EpisodeRecorded', {
          episodeId,
          evaluationId: evaluationIdFor(at.jobId, at.validator),
          jobId: at.jobId,
          validator: at.validator,
          task: TASK,
          episodeIndex: at.episodeIndex,
          seed: at.seed,
          steps: outcome.steps,
          totalReward: outcome.totalReward,
          success: outcome.success,
          terminated: outcome.terminated,
          truncated: outcome.truncated,
          durationMs: Math.round(performance.now() - started),
          trajectoryKey: recording.trajectoryKey,
          trajectory: recording.trajectory,
          frames: recording.frames,
          sampledSteps: recording.sampledSteps,
          evaluator: 'evaluator-test',
          attempt: 1,
          ...(log && { evaluatorLog: { key: log.key, contentType: log.contentType, bytes: log.size, sha256: log.sha256 } }),
        }),
      ],
      { expected: 'any' },
    );
    return { episodeId, outcome, recording };
  } finally {
    env.close();
  }
};
