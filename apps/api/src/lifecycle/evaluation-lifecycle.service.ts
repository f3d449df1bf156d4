import { Inject, Injectable } from '@nestjs/common';
import { type Clock } from '#eventing';
import { CLOCK } from '#eventing/nest';
import { EvaluationsRepository, JobsRepository, type EpisodeStateEntity, type JobEntity, type JobStatusEntity } from '#read-models';
import type { EpisodeStateDto, EvaluationDto, HeartbeatDto, JobStatusDto } from '../jobs/job.dto.js';
import { toEpisodeStateDto, toEvaluationFields } from '../jobs/job-status.mapper.js';
import { HEARTBEATS } from '../infrastructure/tokens.js';
import type { HeartbeatReader } from './heartbeats.js';
import { slotOf } from './slots.js';

/**
 * Where evaluations stand: the status rows of the log (job_status, episode_states) joined, at read time, with the
 * live heartbeats evaluators keep for the episodes they run. Heartbeats are live state, never stored.
 */
@Injectable()
export class EvaluationLifecycleService {
  constructor(
    private readonly evaluations: EvaluationsRepository,
    private readonly jobs: JobsRepository,
    @Inject(HEARTBEATS) private readonly heartbeats: HeartbeatReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The status rows of one job, each with the episodes running for it and their heartbeats. */
  async withRunningEpisodes(job: JobEntity, rows: JobStatusEntity[]): Promise<JobStatusDto[]> {
    const running = await this.evaluations.episodes(
      rows.flatMap((row) => (row.evaluationId ? [row.evaluationId] : [])),
      'running',
    );
    const views = await this.views(job, running);
    return rows.map((row) => ({ ...toEvaluationFields(row), running: views.filter((e) => e.evaluationId === row.evaluationId) }));
  }

  /** One evaluation with every episode it has started, in plan order. */
  async evaluation(evaluationId: string): Promise<EvaluationDto> {
    const row = await this.evaluations.get(evaluationId);
    const [job, states] = await Promise.all([this.jobs.find(row.jobId), this.evaluations.episodes([evaluationId])]);
    const episodes = await this.views(job, states);
    episodes.sort((a, b) => (a.slot ?? Infinity) - (b.slot ?? Infinity) || a.task.localeCompare(b.task) || a.episodeIndex - b.episodeIndex);
    return { ...toEvaluationFields(row), episodes };
  }

  private views(job: JobEntity | null, states: EpisodeStateEntity[]): Promise<EpisodeStateDto[]> {
    return Promise.all(
      states.map(async (state) => {
        const slot = job ? (slotOf(job.benchmark, state.task, state.episodeIndex) ?? null) : null;
        const heartbeat = state.state === 'running' && slot !== null ? await this.heartbeat(state, slot) : null;
        return toEpisodeStateDto(state, slot, heartbeat);
      }),
    );
  }

  private async heartbeat(state: EpisodeStateEntity, slot: number): Promise<HeartbeatDto | null> {
    const beat = await this.heartbeats.read(state.evaluationId, slot);
    // A heartbeat left in the slot by another episode (a re-plan) says nothing about this one.
    if (!beat || beat.episodeId !== state.episodeId) return null;
    return {
      evaluator: beat.evaluator,
      attempt: beat.attempt,
      step: beat.step,
      maxSteps: beat.maxSteps,
      startedAt: beat.startedAt,
      at: beat.heartbeatAt,
      ageMs: Math.max(0, this.clock.now().getTime() - Date.parse(beat.heartbeatAt)),
    };
  }
}
