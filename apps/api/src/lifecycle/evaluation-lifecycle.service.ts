import { Inject, Injectable } from '@nestjs/common';
import { type Clock } from '#eventing';
import { CLOCK } from '#eventing/nest';
import { EpisodeStateEntity, JobEntity, JobStatusEntity, NotFound } from '#read-models';
import { In, type DataSource } from 'typeorm';
import { HEARTBEATS, READ_MODELS } from '../infrastructure/tokens.js';
import type { HeartbeatReader } from './heartbeats.js';
import { slotOf } from './slots.js';

export interface HeartbeatView {
  evaluator: string;
  attempt: number;
  step: number;
  maxSteps: number;
  startedAt: string;
  /** When the evaluator last said it was alive (its clock). */
  at: string;
  /** How long ago that was, by this API's clock (never negative). */
  ageMs: number;
}

export type EpisodeStateView = EpisodeStateEntity & {
  /** Task-major position in the job's plan (null if the job's benchmark has no such episode). */
  slot: number | null;
  /** Only for a running episode, and only while its evaluator keeps a heartbeat. */
  heartbeat: HeartbeatView | null;
};

export type EvaluationStatusView = JobStatusEntity & { running: EpisodeStateView[] };
export type EvaluationView = JobStatusEntity & { episodes: EpisodeStateView[] };

/**
 * Where evaluations stand: the status rows of the log (job_status, episode_states) joined, at read time, with the
 * live heartbeats evaluators keep for the episodes they run. Heartbeats are live state, never stored.
 */
@Injectable()
export class EvaluationLifecycleService {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(HEARTBEATS) private readonly heartbeats: HeartbeatReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The status rows of one job, each with the episodes running for it and their heartbeats. */
  async withRunningEpisodes(job: JobEntity, rows: JobStatusEntity[]): Promise<EvaluationStatusView[]> {
    const evaluations = rows.flatMap((row) => (row.evaluationId ? [row.evaluationId] : []));
    const running = evaluations.length
      ? await this.readModels.getRepository(EpisodeStateEntity).find({ where: { evaluationId: In(evaluations), state: 'running' } })
      : [];
    const views = await this.views(job, running);
    return rows.map((row) => ({ ...row, running: views.filter((e) => e.evaluationId === row.evaluationId) }));
  }

  /** One evaluation with every episode it has started, in plan order. */
  async evaluation(evaluationId: string): Promise<EvaluationView> {
    const row = await this.readModels.getRepository(JobStatusEntity).findOneBy({ evaluationId });
    if (!row) throw new NotFound('evaluation', evaluationId);
    const job = await this.readModels.getRepository(JobEntity).findOneBy({ id: row.jobId });
    const states = await this.readModels.getRepository(EpisodeStateEntity).find({ where: { evaluationId } });
    const episodes = await this.views(job, states);
    episodes.sort((a, b) => (a.slot ?? Infinity) - (b.slot ?? Infinity) || a.task.localeCompare(b.task) || a.episodeIndex - b.episodeIndex);
    return { ...row, episodes };
  }

  private views(job: JobEntity | null, states: EpisodeStateEntity[]): Promise<EpisodeStateView[]> {
    return Promise.all(
      states.map(async (state) => {
        const slot = job ? (slotOf(job.benchmark, state.task, state.episodeIndex) ?? null) : null;
        const heartbeat = state.state === 'running' && slot !== null ? await this.heartbeat(state, slot) : null;
        return Object.assign(state, { slot, heartbeat });
      }),
    );
  }

  private async heartbeat(state: EpisodeStateEntity, slot: number): Promise<HeartbeatView | null> {
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
