import { Inject, Injectable } from '@nestjs/common';
import { CompetitionsRepository, NotFound, ScoreEntity, WeightsHistoryEntity } from '#read-models';
import { In, type DataSource } from 'typeorm';
import { READ_MODELS } from '../infrastructure/tokens.js';
import type { CompetitionScoresDto, ScoreEntryDto } from './scores.dto.js';
import type { CompetitionScoresQuery } from './scores.query.js';

const entry = (row: ScoreEntity): ScoreEntryDto => ({
  submissionId: row.submissionId,
  hotkey: row.hotkey,
  uid: row.uid,
  revision: row.revision,
  score: row.score,
  interval: row.scoreLow === null || row.scoreHigh === null ? null : { low: row.scoreLow, high: row.scoreHigh },
  validators: row.validators,
  outliers: row.outliers,
  eligible: row.eligible,
  role: row.role,
  rank: row.rank,
  reason: row.reason,
});

@Injectable()
export class ScoresService {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly competitions: CompetitionsRepository,
  ) {}

  /** Each validator's latest ScoresComputed (as of a sequence), with the entries of this competition. */
  async ofCompetition(competitionId: string, query: CompetitionScoresQuery): Promise<CompetitionScoresDto> {
    if (!(await this.competitions.exists(competitionId))) throw new NotFound('competition', competitionId);
    const qb = this.readModels.getRepository(WeightsHistoryEntity).createQueryBuilder('w').where("w.kind = 'scores'");
    if (query.validator !== undefined) qb.andWhere('w.validator = :validator', { validator: query.validator });
    if (query.asOfSequence !== undefined) qb.andWhere('w.streamSequence <= :asOf', { asOf: query.asOfSequence });
    const latest = await qb
      .select(['w.streamSequence', 'w.netuid', 'w.validator', 'w.upToSequence', 'w.at'])
      .distinctOn(['w.netuid', 'w.validator'])
      .orderBy('w.netuid')
      .addOrderBy('w.validator')
      .addOrderBy('w.streamSequence', 'DESC')
      .getMany();
    const rows = latest.length
      ? await this.readModels.getRepository(ScoreEntity).find({
          where: { competitionId, streamSequence: In(latest.map((l) => l.streamSequence)) },
          order: { streamSequence: 'ASC', entryIndex: 'ASC' },
        })
      : [];
    return {
      competitionId,
      computations: latest.map((l) => ({
        netuid: l.netuid,
        validator: l.validator,
        streamSequence: l.streamSequence,
        upToSequence: l.upToSequence,
        at: l.at,
        entries: rows.filter((r) => r.streamSequence === l.streamSequence).map(entry),
      })),
    };
  }
}
