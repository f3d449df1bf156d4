import { Injectable } from '@nestjs/common';
import { CompetitionsRepository, NotFound, WeightsRepository, type ScoreEntity } from '#read-models';
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
    private readonly weights: WeightsRepository,
    private readonly competitions: CompetitionsRepository,
  ) {}

  /** Each validator's latest ScoresComputed (as of a sequence), with the entries of this competition. */
  async ofCompetition(competitionId: string, query: CompetitionScoresQuery): Promise<CompetitionScoresDto> {
    if (!(await this.competitions.exists(competitionId))) throw new NotFound('competition', competitionId);
    const latest = await this.weights.latestScores({ validator: query.validator, asOfSequence: query.asOfSequence });
    const rows = await this.weights.scoreEntries(
      competitionId,
      latest.map((l) => l.streamSequence),
    );
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
