import { Inject, Injectable } from '@nestjs/common';
import { CheckpointsRepository, CompetitionsRepository, StatsRepository } from '#read-models';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Topology } from '#contracts';
import { JETSTREAM_MANAGER, TOPOLOGY } from '#eventing/nest';
import { competitionShares } from '../leaderboard/competition-shares.js';
import type { StatsDto } from './stats.dto.js';

/** A validator's durable consumer on the events stream is `validator-<ss58>` (apps/validator, validatorDurable). */
const VALIDATOR_DURABLE_PREFIX = 'validator-';

@Injectable()
export class StatsService {
  constructor(
    private readonly counts: StatsRepository,
    private readonly checkpoints: CheckpointsRepository,
    private readonly competitions: CompetitionsRepository,
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

  async stats(): Promise<StatsDto> {
    const [counts, active, connected, projectedSequence] = await Promise.all([
      this.counts.counts(),
      this.competitions.active(),
      this.connectedValidators(),
      this.checkpoints.projectedSequence(),
    ]);
    return {
      competitions: counts.competitions,
      submissions: counts.submissions,
      jobs: counts.jobs,
      jobStatus: counts.jobStatus,
      results: counts.results,
      episodes: counts.episodes,
      validators: { ...counts.validators, connected: connected.length, connectedHotkeys: connected },
      competitionShares: competitionShares(active),
      lastSeenBlock: counts.lastSeenBlock,
      projectedSequence,
    };
  }
}
