import { Inject, Injectable } from '@nestjs/common';
import {
  CHECKPOINT_ID,
  CommitmentEntity,
  CompetitionEntity,
  EpisodeEntity,
  JobEntity,
  JobStatusEntity,
  ProjectorCheckpointEntity,
  ResultEntity,
  SubmissionEntity,
  ValidatorEntity,
} from '#read-models';
import type { DataSource } from 'typeorm';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Topology } from '#contracts';
import { JETSTREAM_MANAGER, TOPOLOGY } from '#eventing/nest';
import { competitionShares } from '../leaderboard/competition-shares.js';
import { tableOf } from '../http/sql.js';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { StatsDto } from './stats.dto.js';

/** A validator's durable consumer on the events stream is `validator-<ss58>` (apps/validator, validatorDurable). */
const VALIDATOR_DURABLE_PREFIX = 'validator-';

@Injectable()
export class StatsService {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(TOPOLOGY) private readonly topology: Topology,
  ) {}

  /**
   * Validators connected now: their durable consumer has pull requests waiting (caught up) or deliveries unacked
   * (busy), which it has only while the process runs: a stopped one's requests expire, its unacked deliveries go
   * back after the ack wait (tens of seconds either way).
   */
  private async connectedValidators(): Promise<string[]> {
    const consumers = await this.jsm.consumers.list(this.topology.eventsStream).next();
    return consumers
      .filter((c) => c.name.startsWith(VALIDATOR_DURABLE_PREFIX) && (c.num_waiting > 0 || c.num_ack_pending > 0))
      .map((c) => c.name.slice(VALIDATOR_DURABLE_PREFIX.length))
      .sort();
  }

  /** The newest chain block the read models know of: a metagraph snapshot's or a commitment's. */
  private async lastSeenBlock(): Promise<number | null> {
    const [row]: { block: string | null }[] = await this.readModels.query(
      `SELECT GREATEST((SELECT MAX(last_seen_block) FROM ${tableOf(this.readModels, ValidatorEntity)}),
                       (SELECT MAX(block) FROM ${tableOf(this.readModels, CommitmentEntity)})) AS block`,
    );
    return row?.block == null ? null : Number(row.block);
  }

  private async countBy(entity: Parameters<typeof tableOf>[1], column: string): Promise<Record<string, number>> {
    const rows: { key: string; count: number }[] = await this.readModels.query(
      `SELECT ${column} AS key, COUNT(*)::int AS count FROM ${tableOf(this.readModels, entity)} GROUP BY ${column}`,
    );
    return Object.fromEntries(rows.map((r) => [r.key, r.count]));
  }

  private async totalAnd(entity: Parameters<typeof tableOf>[1], flag: string): Promise<{ total: number; flagged: number }> {
    const [row]: { total: number; flagged: number }[] = await this.readModels.query(
      `SELECT COUNT(*)::int AS total, COUNT(*) FILTER (WHERE ${flag})::int AS flagged FROM ${tableOf(this.readModels, entity)}`,
    );
    return row!;
  }

  async stats(): Promise<StatsDto> {
    const [competitions, submissions, jobs, jobStatus, results, episodes, validators, checkpoint] = await Promise.all([
      this.totalAnd(CompetitionEntity, 'active'),
      this.countBy(SubmissionEntity, 'status'),
      this.totalAnd(JobEntity, 'cancelled'),
      this.countBy(JobStatusEntity, 'status'),
      this.readModels.getRepository(ResultEntity).count(),
      this.readModels.getRepository(EpisodeEntity).count(),
      this.totalAnd(ValidatorEntity, 'active'),
      this.readModels.getRepository(ProjectorCheckpointEntity).findOneBy({ id: CHECKPOINT_ID }),
    ]);
    const [active, connected, lastSeenBlock] = await Promise.all([
      this.readModels.getRepository(CompetitionEntity).findBy({ active: true }),
      this.connectedValidators(),
      this.lastSeenBlock(),
    ]);
    return {
      competitions: { total: competitions.total, active: competitions.flagged },
      submissions,
      jobs: { total: jobs.total, cancelled: jobs.flagged },
      jobStatus,
      results,
      episodes,
      validators: { total: validators.total, active: validators.flagged, connected: connected.length, connectedHotkeys: connected },
      competitionShares: competitionShares(active),
      lastSeenBlock,
      projectedSequence: checkpoint?.lastSequence ?? 0,
    };
  }
}
