import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { JobEntity, JobStatusEntity, JobStatusHistoryEntity, type JobStatusValue } from '../entities/index.js';
import { found } from './not-found.js';
import { definedOnly, findPage, type Page, type PageRequest } from './page.js';
import { tableOf } from './sql.js';

export interface JobFilter {
  competitionId?: string;
  submissionId?: string;
  hotkey?: string;
  /** With `validator`: that validator's status; without: any validator's (QUEUED: no validator has a row). */
  status?: JobStatusValue;
  validator?: string;
}

/** Where a keyset page starts: strictly after this job in (created_at, id) descending order. */
export interface JobKey {
  createdAtMicros: bigint;
  id: string;
}

export interface JobListPage {
  /** Up to `limit` jobs, newest first. */
  items: JobEntity[];
  /** The key of the last item when another page follows, else null. */
  nextKey: JobKey | null;
  total: number;
  totalIsEstimate: boolean;
}

/** A job's created_at exactly (Postgres keeps microseconds; a Date has milliseconds), for its key. */
const CREATED_AT_MICROS = '(EXTRACT(EPOCH FROM job.created_at) * 1000000)::int8';

/** Jobs and their per-validator status; the list walks the (created_at, id) indexes of migrations 1764000000004/5. */
export class JobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Newest first along the (created_at, id) indexes; after `after` when given, then `offset` rows on. The total is
   * exact up to `exactTotalLimit` matches (a bounded count of index entries), beyond it the planner's estimate.
   */
  async list(filter: JobFilter, page: PageRequest & { after?: JobKey; exactTotalLimit: number }): Promise<JobListPage> {
    const matching = this.dataSource.getRepository(JobEntity).createQueryBuilder('job');
    if (filter.competitionId) matching.andWhere('job.competitionId = :competition', { competition: filter.competitionId });
    if (filter.submissionId) matching.andWhere('job.submissionId = :submission', { submission: filter.submissionId });
    if (filter.hotkey) matching.andWhere('job.hotkey = :miner', { miner: filter.hotkey });
    this.filterByStatus(matching, filter);
    const rows = matching.clone().addSelect(CREATED_AT_MICROS, 'created_at_micros');
    if (page.after) {
      rows.andWhere(`(job.createdAt, job.id) < (timestamptz 'epoch' + :afterMicros::int8 * interval '1 microsecond', :afterId::uuid)`, {
        afterMicros: page.after.createdAtMicros.toString(),
        afterId: page.after.id,
      });
    }
    // limit/offset, not take/skip: one table, no joins to de-duplicate, and take/skip would add a DISTINCT subquery.
    // One row more than the page says whether another page follows.
    rows
      .orderBy('job.createdAt', 'DESC')
      .addOrderBy('job.id', 'DESC')
      .limit(page.limit + 1)
      .offset(page.offset);
    const [{ entities, raw }, total] = await Promise.all([rows.getRawAndEntities<{ created_at_micros: string }>(), this.total(matching, page.exactTotalLimit)]);
    const items = entities.slice(0, page.limit);
    const last = raw[page.limit - 1];
    const more = entities.length > page.limit && last !== undefined;
    return { items, ...total, nextKey: more ? { createdAtMicros: BigInt(last.created_at_micros), id: items.at(-1)!.id } : null };
  }

  private async total(matching: SelectQueryBuilder<JobEntity>, exactLimit: number): Promise<{ total: number; totalIsEstimate: boolean }> {
    const [sql, parameters] = matching
      .clone()
      .select('1')
      .limit(exactLimit + 1)
      .getQueryAndParameters();
    const [{ n }]: [{ n: number }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) bounded`, parameters);
    if (n <= exactLimit) return { total: n, totalIsEstimate: false };
    const [unbounded, unboundedParameters] = matching.clone().select('1').getQueryAndParameters();
    const [
      {
        'QUERY PLAN': [plan],
      },
    ]: [{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }] = await this.dataSource.query(`EXPLAIN (FORMAT JSON) ${unbounded}`, unboundedParameters);
    return { total: Math.max(n, Math.round(plan.Plan['Plan Rows'])), totalIsEstimate: true };
  }

  /**
   * Status lives per validator in job_status; a validator without a row has the job QUEUED. So QUEUED means
   * "no row for that validator" (or for anyone, without a validator); every other status means "a row says so".
   */
  private filterByStatus(jobs: SelectQueryBuilder<JobEntity>, { status, validator }: JobFilter): void {
    if (!status && !validator) return;
    const rows = this.dataSource.getRepository(JobStatusEntity).createQueryBuilder('s').select('1').where('s.jobId = job.id');
    if (validator) rows.andWhere('s.validator = :validator');
    if (status && status !== 'QUEUED') rows.andWhere('s.status = :status');
    const queued = status === 'QUEUED';
    jobs.andWhere(`${queued ? 'NOT EXISTS' : 'EXISTS'} (${rows.getQuery()})`, { validator, status });
  }

  async get(id: string): Promise<JobEntity> {
    return found(await this.find(id), 'job', id);
  }

  /** The job, or null when it is not projected (yet). */
  find(id: string): Promise<JobEntity | null> {
    return this.dataSource.getRepository(JobEntity).findOneBy({ id });
  }

  /** Every job of the submission, oldest first (ties by id). */
  ofSubmission(submissionId: string): Promise<JobEntity[]> {
    return this.dataSource.getRepository(JobEntity).find({ where: { submissionId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The job's status rows, one per validator that started it, by validator. */
  statuses(jobId: string, filter: { validator?: string }, page: PageRequest): Promise<Page<JobStatusEntity>> {
    return findPage(this.dataSource.getRepository(JobStatusEntity), definedOnly({ jobId, validator: filter.validator }), { validator: 'ASC' }, page);
  }

  /** The job's status changes in stream order. */
  history(jobId: string, filter: { validator?: string }, page: PageRequest): Promise<Page<JobStatusHistoryEntity>> {
    return findPage(
      this.dataSource.getRepository(JobStatusHistoryEntity),
      definedOnly({ jobId, validator: filter.validator }),
      { streamSequence: 'ASC' },
      page,
    );
  }

  /** Every status change of these jobs, in stream order. */
  historyOf(jobIds: string[]): Promise<JobStatusHistoryEntity[]> {
    if (jobIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(JobStatusHistoryEntity).find({ where: { jobId: In(jobIds) }, order: { streamSequence: 'ASC' } });
  }

  /** Validators' evaluations counted by status (job_status is indexed by validator). */
  async statusCountsOf(validator: string): Promise<Record<string, number>> {
    const rows: { status: string; count: number }[] = await this.dataSource
      .getRepository(JobStatusEntity)
      .createQueryBuilder('s')
      .select('s.status', 'status')
      .addSelect('COUNT(*)::int', 'count')
      .where('s.validator = :validator', { validator })
      .groupBy('s.status')
      .getRawMany();
    return Object.fromEntries(rows.map((r) => [r.status, r.count]));
  }

  /** Each job of these submissions with its status rows (LEFT JOIN: a job nobody started has one row, status null). */
  progressOf(
    submissionIds: string[],
  ): Promise<{ submissionId: string; jobId: string; rerunOf: string | null; cancelled: boolean; status: JobStatusValue | null }[]> {
    if (submissionIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT j.submission_id AS "submissionId", j.id AS "jobId", j.rerun_of AS "rerunOf", j.cancelled, s.status
         FROM ${tableOf(this.dataSource, JobEntity)} j LEFT JOIN ${tableOf(this.dataSource, JobStatusEntity)} s ON s.job_id = j.id
        WHERE j.submission_id = ANY($1::uuid[])`,
      [submissionIds],
    );
  }
}
