import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { JobEntity, JobStatusEntity, JobStatusHistoryEntity } from '#read-models';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { definedOnly } from '../http/filters.js';
import { findPage, type Page } from '../http/pagination.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import { EvaluationLifecycleService, type EvaluationStatusView } from '../lifecycle/evaluation-lifecycle.service.js';
import { decodeJobCursor, encodeJobCursor } from './job-cursor.js';
import { EXACT_TOTAL_LIMIT, type JobPage } from './job-page.js';
import type { JobStatusQuery, JobsQuery } from './jobs.query.js';

/** A job's created_at exactly (Postgres keeps microseconds; a Date has milliseconds), for its cursor. */
const CREATED_AT_MICROS = '(EXTRACT(EPOCH FROM job.created_at) * 1000000)::int8';

@Injectable()
export class JobsService {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly lifecycle: EvaluationLifecycleService,
  ) {}

  /** Newest first along the (created_at, id) indexes; from a keyset cursor when given, then `offset` rows on. */
  async list(query: JobsQuery): Promise<JobPage<JobEntity>> {
    const matching = this.readModels.getRepository(JobEntity).createQueryBuilder('job');
    if (query.competition) matching.andWhere('job.competitionId = :competition', { competition: query.competition });
    if (query.submission) matching.andWhere('job.submissionId = :submission', { submission: query.submission });
    if (query.miner) matching.andWhere('job.hotkey = :miner', { miner: query.miner });
    this.filterByStatus(matching, query);
    const page = matching.clone().addSelect(CREATED_AT_MICROS, 'created_at_micros');
    if (query.cursor) {
      const after = decodeJobCursor(query.cursor);
      page.andWhere(`(job.createdAt, job.id) < (timestamptz 'epoch' + :afterMicros::int8 * interval '1 microsecond', :afterId::uuid)`, {
        afterMicros: after.createdAtMicros.toString(),
        afterId: after.id,
      });
    }
    // limit/offset, not take/skip: one table, no joins to de-duplicate, and take/skip would add a DISTINCT subquery.
    // One row more than the page says whether another page follows.
    page.orderBy('job.createdAt', 'DESC').addOrderBy('job.id', 'DESC').limit(query.limit + 1).offset(query.offset);
    const [{ entities, raw }, total] = await Promise.all([page.getRawAndEntities<{ created_at_micros: string }>(), this.total(matching)]);
    const items = entities.slice(0, query.limit);
    const last = raw[query.limit - 1];
    const more = entities.length > query.limit && last !== undefined;
    return {
      items,
      ...total,
      limit: query.limit,
      offset: query.offset,
      nextCursor: more ? encodeJobCursor({ createdAtMicros: BigInt(last.created_at_micros), id: items.at(-1)!.id }) : null,
    };
  }

  /** Exact while cheap (a bounded count of index entries), else the planner's estimate of the filtered rows. */
  private async total(matching: SelectQueryBuilder<JobEntity>): Promise<{ total: number; totalIsEstimate: boolean }> {
    const [sql, parameters] = matching.clone().select('1').limit(EXACT_TOTAL_LIMIT + 1).getQueryAndParameters();
    const [{ n }]: { n: number }[] = await this.readModels.query(`SELECT count(*)::int AS n FROM (${sql}) bounded`, parameters);
    if (n <= EXACT_TOTAL_LIMIT) return { total: n, totalIsEstimate: false };
    const [unbounded, unboundedParameters] = matching.clone().select('1').getQueryAndParameters();
    const [{ 'QUERY PLAN': [plan] }]: { 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[] = await this.readModels.query(
      `EXPLAIN (FORMAT JSON) ${unbounded}`,
      unboundedParameters,
    );
    return { total: Math.max(n, Math.round(plan.Plan['Plan Rows'])), totalIsEstimate: true };
  }

  /**
   * Status lives per validator in job_status; a validator without a row has the job QUEUED. So QUEUED means
   * "no row for that validator" (or for anyone, without a validator); every other status means "a row says so".
   */
  private filterByStatus(jobs: SelectQueryBuilder<JobEntity>, { status, validator }: JobsQuery): void {
    if (!status && !validator) return;
    const rows = this.readModels
      .getRepository(JobStatusEntity)
      .createQueryBuilder('s')
      .select('1')
      .where('s.jobId = job.id');
    if (validator) rows.andWhere('s.validator = :validator');
    if (status && status !== 'QUEUED') rows.andWhere('s.status = :status');
    const queued = status === 'QUEUED';
    jobs.andWhere(`${queued ? 'NOT EXISTS' : 'EXISTS'} (${rows.getQuery()})`, { validator, status });
  }

  async get(id: string): Promise<JobEntity> {
    const job = await this.readModels.getRepository(JobEntity).findOneBy({ id });
    if (!job) throw new NotFoundException(`job ${id} not found`);
    return job;
  }

  /**
   * Where each validator stands on the job (validators with no row have it QUEUED): its counts, who runs it, how it
   * failed, and the episodes running now with their heartbeats.
   */
  async status(id: string, query: JobStatusQuery): Promise<Page<EvaluationStatusView>> {
    const job = await this.get(id);
    const where = definedOnly({ jobId: id, validator: query.validator });
    const page = await findPage(this.readModels.getRepository(JobStatusEntity), where, { validator: 'ASC' }, query);
    return { ...page, items: await this.lifecycle.withRunningEpisodes(job, page.items) };
  }

  /** Every status change of the job, in stream order. */
  async history(id: string, query: JobStatusQuery): Promise<Page<JobStatusHistoryEntity>> {
    await this.get(id);
    const where = definedOnly({ jobId: id, validator: query.validator });
    return findPage(this.readModels.getRepository(JobStatusHistoryEntity), where, { streamSequence: 'ASC' }, query);
  }
}
