import { Injectable } from '@nestjs/common';
import { JobsRepository, type Page } from '#read-models';
import { EvaluationLifecycleService } from '../lifecycle/evaluation-lifecycle.service.js';
import { decodeJobCursor, encodeJobCursor } from './job-cursor.js';
import type { JobDto, JobStatusChangeDto, JobStatusDto } from './job.dto.js';
import { toJobStatusChangeDto } from './job-status.mapper.js';
import { toJobDto } from './job.mapper.js';
import { EXACT_TOTAL_LIMIT, type JobPage } from './job-page.js';
import type { JobStatusQuery, JobsQuery } from './jobs.query.js';

@Injectable()
export class JobsService {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly lifecycle: EvaluationLifecycleService,
  ) {}

  /** Newest first; from a keyset cursor when given, then `offset` rows on. */
  async list(query: JobsQuery): Promise<JobPage<JobDto>> {
    const filter = { competitionId: query.competition, submissionId: query.submission, hotkey: query.miner, status: query.status, validator: query.validator };
    const after = query.cursor ? decodeJobCursor(query.cursor) : undefined;
    const page = await this.jobs.list(filter, { limit: query.limit, offset: query.offset, after, exactTotalLimit: EXACT_TOTAL_LIMIT });
    return {
      items: page.items.map(toJobDto),
      total: page.total,
      totalIsEstimate: page.totalIsEstimate,
      limit: query.limit,
      offset: query.offset,
      nextCursor: page.nextKey ? encodeJobCursor(page.nextKey) : null,
    };
  }

  async get(id: string): Promise<JobDto> {
    return toJobDto(await this.jobs.get(id));
  }

  /**
   * Where each validator stands on the job (validators with no row have it QUEUED): its counts, who runs it, how it
   * failed, and the episodes running now with their heartbeats.
   */
  async status(id: string, query: JobStatusQuery): Promise<Page<JobStatusDto>> {
    const job = await this.jobs.get(id);
    const page = await this.jobs.statuses(id, { validator: query.validator }, query);
    return { ...page, items: await this.lifecycle.withRunningEpisodes(job, page.items) };
  }

  /** Every status change of the job, in stream order. */
  async history(id: string, query: JobStatusQuery): Promise<Page<JobStatusChangeDto>> {
    await this.jobs.get(id);
    const page = await this.jobs.history(id, { validator: query.validator }, query);
    return { ...page, items: page.items.map(toJobStatusChangeDto) };
  }
}
