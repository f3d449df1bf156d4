import { Injectable } from '@nestjs/common';
import { EpisodesRepository, NotFound, StepsRepository, type EpisodeEntity, type Page, type PageRequest } from '#read-models';
import { ObjectLinks } from '../objects/object-links.service.js';
import { ObjectServing, type ObjectRequest, type ObjectResponse } from '../objects/object-serving.service.js';
import { toStepDto } from '../steps/step.mapper.js';
import type { EpisodeDto, FrameRefDto, StepDto } from './episode.dto.js';
import type { EpisodesQuery } from './episodes.query.js';

@Injectable()
export class EpisodesService {
  constructor(
    private readonly episodes: EpisodesRepository,
    private readonly stepRows: StepsRepository,
    private readonly links: ObjectLinks,
    private readonly serving: ObjectServing,
  ) {}

  async list(query: EpisodesQuery): Promise<Page<EpisodeDto>> {
    const filter = {
      submissionId: query.submission,
      jobId: query.job,
      evaluationId: query.evaluation,
      validator: query.validator,
      task: query.task,
      success: query.success,
    };
    const page = await this.episodes.list(filter, query);
    return { ...page, items: await Promise.all(page.items.map((row) => this.view(row))) };
  }

  async get(id: string): Promise<EpisodeDto> {
    return this.view(await this.episodes.get(id));
  }

  /** The sampled steps of an episode, in step order. */
  async steps(id: string, query: PageRequest): Promise<Page<StepDto>> {
    await this.episodes.get(id);
    const page = await this.stepRows.list({ episodeId: id }, query);
    return { ...page, items: page.items.map(toStepDto) };
  }

  /** The trajectory object: a redirect to where the store serves it (302), or its bytes streamed by this API. */
  async sendTrajectory(id: string, request: ObjectRequest, response: ObjectResponse): Promise<void> {
    const { trajectoryKey } = await this.episodes.get(id);
    if (!trajectoryKey) throw new NotFound('trajectory of episode', id);
    const { url } = await this.links.link(trajectoryKey);
    if (url && /^https?:\/\//.test(url)) return response.redirect(302, url);
    return this.serving.send(trajectoryKey, request, response);
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
      trajectory: e.trajectoryKey ? { key: e.trajectoryKey, contentType: e.trajectoryContentType, bytes: e.trajectoryBytes, sha256: e.trajectorySha256 } : null,
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
