import { Inject, Injectable } from '@nestjs/common';
import { EpisodeEntity, JobEntity, StepEntity, NotFound } from '#read-models';
import type { DataSource } from 'typeorm';
import { findPage, pageOf, type Page, type PageQuery } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import { ObjectLinks } from '../objects/object-links.service.js';
import { ObjectServing, type ObjectRequest, type ObjectResponse } from '../objects/object-serving.service.js';
import type { EpisodeDto, FrameRefDto } from './episode.dto.js';
import type { EpisodesQuery } from './episodes.query.js';

@Injectable()
export class EpisodesService {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly links: ObjectLinks,
    private readonly serving: ObjectServing,
  ) {}

  private get episodes() {
    return this.readModels.getRepository(EpisodeEntity);
  }

  async list(query: EpisodesQuery): Promise<Page<EpisodeDto>> {
    const episodes = this.episodes.createQueryBuilder('e');
    if (query.submission) {
      const jobs = this.readModels.getRepository(JobEntity).createQueryBuilder('j').select('j.id').where('j.submissionId = :submission');
      episodes.andWhere(`e.jobId IN (${jobs.getQuery()})`, { submission: query.submission });
    }
    if (query.job) episodes.andWhere('e.jobId = :job', { job: query.job });
    if (query.evaluation) episodes.andWhere('e.evaluationId = :evaluation', { evaluation: query.evaluation });
    if (query.validator) episodes.andWhere('e.validator = :validator', { validator: query.validator });
    if (query.task) episodes.andWhere('e.task = :task', { task: query.task });
    if (query.success !== undefined) episodes.andWhere('e.success = :success', { success: query.success });
    episodes.orderBy('e.recordedAt', 'DESC').addOrderBy('e.id', 'ASC').take(query.limit).skip(query.offset);
    const [rows, total] = await episodes.getManyAndCount();
    return pageOf([await Promise.all(rows.map((row) => this.view(row))), total], query);
  }

  async get(id: string): Promise<EpisodeDto> {
    return this.view(await this.find(id));
  }

  /** The sampled steps of an episode, in step order. */
  async steps(id: string, query: PageQuery): Promise<Page<StepEntity>> {
    await this.find(id);
    return findPage(this.readModels.getRepository(StepEntity), { episodeId: id }, { step: 'ASC' }, query);
  }

  /** The trajectory object: a redirect to where the store serves it (302), or its bytes streamed by this API. */
  async sendTrajectory(id: string, request: ObjectRequest, response: ObjectResponse): Promise<void> {
    const { trajectoryKey } = await this.find(id);
    if (!trajectoryKey) throw new NotFound('trajectory of episode', id);
    const { url } = await this.links.link(trajectoryKey);
    if (url && /^https?:\/\//.test(url)) return response.redirect(302, url);
    return this.serving.send(trajectoryKey, request, response);
  }

  private async find(id: string): Promise<EpisodeEntity> {
    const episode = await this.episodes.findOneBy({ id });
    if (!episode) throw new NotFound('episode', id);
    return episode;
  }

  /** The episode as clients see it: URLs minted now for its frames and trajectory. */
  private async view(e: EpisodeEntity): Promise<EpisodeDto> {
    const frames = await Promise.all(
      e.frames.map(async (frame): Promise<FrameRefDto> => {
        const { url, expiresAt } = await this.links.link(frame.key);
        return {
          camera: frame.camera,
          key: frame.key,
          url,
          expiresAt,
          steps: frame.steps,
          layout: frame.layout ?? null,
          contentType: frame.contentType,
          bytes: frame.bytes,
          sha256: frame.sha256,
        };
      }),
    );
    const trajectory = await this.links.link(e.trajectoryKey);
    return {
      id: e.id,
      evaluationId: e.evaluationId,
      jobId: e.jobId,
      validator: e.validator,
      task: e.task,
      episodeIndex: e.episodeIndex,
      seed: e.seed,
      steps: e.steps,
      totalReward: e.totalReward,
      success: e.success,
      terminated: e.terminated,
      truncated: e.truncated,
      durationMs: e.durationMs,
      trajectoryKey: e.trajectoryKey,
      trajectory: e.trajectoryKey
        ? { key: e.trajectoryKey, contentType: e.trajectoryContentType, bytes: e.trajectoryBytes, sha256: e.trajectorySha256 }
        : null,
      trajectoryUrl: trajectory.url,
      trajectoryUrlExpiresAt: trajectory.expiresAt,
      frames,
      evaluator: e.evaluator,
      attempt: e.attempt,
      recordedAt: e.recordedAt,
      lastSequence: e.lastSequence,
    };
  }
}
