import type { StepEntity } from '#read-models';
import type { StepDto } from '../episodes/episode.dto.js';

/** The step as served; every field named. */
export const toStepDto = (s: StepEntity): StepDto => ({
  episodeId: s.episodeId,
  step: s.step,
  reward: s.reward,
  success: s.success,
  action: s.action,
  terminated: s.terminated,
  truncated: s.truncated,
  info: s.info,
});
