import { Injectable } from '@nestjs/common';
import {
  EpisodesRepository,
  EvaluationsRepository,
  JobsRepository,
  NotFound,
  SubmissionsRepository,
  type EpisodeStateEntity,
  type JobStatusEntity,
  type LogObjectRef,
} from '#read-models';
import { ObjectLinks } from '../objects/object-links.service.js';
import type { EpisodeLogDto, EvaluationLogDto, EvaluatorLogDto, JobLogsDto, SubmissionLogsDto } from './logs.dto.js';

const pairKey = (jobId: string, validator: string) => `${jobId}|${validator}`;

/** Each evaluator's log is cumulative over the evaluation: the one its latest finished episode named says the most. */
const latestPerEvaluator = (episodes: readonly EpisodeLogDto[]): EvaluatorLogDto[] => {
  const latest = new Map<string, { at: number; log: EvaluatorLogDto }>();
  for (const e of episodes) {
    if (!e.evaluatorLog) continue;
    const at = e.finishedAt?.getTime() ?? 0;
    const held = latest.get(e.evaluatorLog.evaluator);
    if (!held || at > held.at) latest.set(e.evaluatorLog.evaluator, { at, log: e.evaluatorLog });
  }
  return [...latest.values()].map((l) => l.log).sort((a, b) => a.evaluator.localeCompare(b.evaluator));
};

/**
 * Logs as the read models hold them: per evaluation, the evaluator's status changes (job_status_history), its
 * failure with the agent's stderr tail (EvaluationFailed), and each episode's latest attempt with its own verdict
 * and stderr tail (EpisodeFailed), plus a URL minted now for each recorded trajectory in object storage.
 */
@Injectable()
export class LogsService {
  constructor(
    private readonly evaluations: EvaluationsRepository,
    private readonly jobs: JobsRepository,
    private readonly submissions: SubmissionsRepository,
    private readonly episodes: EpisodesRepository,
    private readonly links: ObjectLinks,
  ) {}

  async ofEvaluation(evaluationId: string): Promise<EvaluationLogDto> {
    const evaluation = await this.evaluations.find(evaluationId);
    const [log] = await this.logs(evaluation ? [evaluation] : []);
    if (!log) throw new NotFound('evaluation', evaluationId);
    return log;
  }

  async ofJob(jobId: string): Promise<JobLogsDto> {
    await this.jobs.get(jobId);
    return { jobId, evaluations: await this.logs(await this.evaluations.ofJobs([jobId])) };
  }

  async ofSubmission(submissionId: string): Promise<SubmissionLogsDto> {
    await this.submissions.get(submissionId);
    const jobs = await this.jobs.ofSubmission(submissionId);
    return { submissionId, evaluations: await this.logs(await this.evaluations.ofJobs(jobs.map((j) => j.id))) };
  }

  /** The logs of these evaluations, in the order given. */
  private async logs(rows: JobStatusEntity[]): Promise<EvaluationLogDto[]> {
    if (rows.length === 0) return [];
    const jobIds = [...new Set(rows.map((r) => r.jobId))];
    const evaluationIds = rows.flatMap((r) => (r.evaluationId ? [r.evaluationId] : []));
    const [history, states, trajectories] = await Promise.all([
      this.jobs.historyOf(jobIds),
      this.evaluations.episodes(evaluationIds),
      this.episodes.trajectoryKeys(evaluationIds),
    ]);
    const episodes = new Map<string, EpisodeLogDto[]>();
    for (const state of states) {
      const list = episodes.get(state.evaluationId) ?? [];
      list.push(await this.episodeLog(state, trajectories.get(state.episodeId) ?? null));
      episodes.set(state.evaluationId, list);
    }
    return rows.map((row) => ({
      evaluationId: row.evaluationId,
      jobId: row.jobId,
      validator: row.validator,
      evaluator: row.evaluator,
      status: row.status,
      reason: row.reason,
      fault: row.fault,
      verdict: row.verdict,
      detail: row.detail,
      failedEpisodeId: row.failedEpisodeId,
      stderrTail: row.stderrTail,
      lines: history
        .filter((h) => pairKey(h.jobId, h.validator) === pairKey(row.jobId, row.validator))
        .map(({ streamSequence, at, status, reason, fault }) => ({ streamSequence, at, status, reason, fault })),
      episodes: (row.evaluationId && episodes.get(row.evaluationId)) || [],
      evaluatorLogs: latestPerEvaluator((row.evaluationId && episodes.get(row.evaluationId)) || []),
    }));
  }

  private async episodeLog(s: EpisodeStateEntity, trajectoryKey: string | null): Promise<EpisodeLogDto> {
    const trajectory = await this.links.link(trajectoryKey);
    const evaluatorLog = s.evaluatorLog && s.evaluator ? await this.evaluatorLog(s.evaluator, s.episodeId, s.evaluatorLog) : null;
    return {
      episodeId: s.episodeId,
      task: s.task,
      episodeIndex: s.episodeIndex,
      seed: s.seed,
      state: s.state,
      attempt: s.attempt,
      evaluator: s.evaluator,
      verdict: s.verdict,
      fault: s.fault,
      reason: s.reason,
      stderrTail: s.stderrTail,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      trajectoryUrl: trajectory.url,
      trajectoryUrlExpiresAt: trajectory.expiresAt,
      evaluatorLog,
    };
  }

  private async evaluatorLog(evaluator: string, episodeId: string, ref: LogObjectRef): Promise<EvaluatorLogDto> {
    const { url, expiresAt } = await this.links.link(ref.key);
    return { evaluator, episodeId, key: ref.key, contentType: ref.contentType, bytes: ref.bytes, sha256: ref.sha256, url, urlExpiresAt: expiresAt };
  }
}
