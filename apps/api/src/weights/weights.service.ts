import { Injectable } from '@nestjs/common';
import { WeightsRepository, type Page, type WeightsHistoryEntity } from '#read-models';
import type { ValidatorWeightsDto, WeightsRecordDto } from './weights.dto.js';
import type { WeightsHistoryQuery, WeightsQuery } from './weights.query.js';

/** Every column but the scores (served per competition by the scores route). */
const recordColumns = [
  'streamSequence',
  'netuid',
  'validator',
  'kind',
  'upToSequence',
  'uids',
  'weights',
  'block',
  'extrinsicHash',
  'commitHash',
  'commitBlock',
  'revealFromBlock',
  'revealUntilBlock',
  'reason',
  'at',
] as const satisfies readonly (keyof WeightsHistoryEntity)[];

const record = (row: WeightsHistoryEntity): WeightsRecordDto => Object.fromEntries(recordColumns.map((c) => [c, row[c]])) as unknown as WeightsRecordDto;

const pairKey = (row: { netuid: number; validator: string }) => `${row.netuid}|${row.validator}`;

@Injectable()
export class WeightsService {
  constructor(private readonly weights: WeightsRepository) {}

  /** Per (subnet, validator): the latest record of each kind, or, as of a block, what the chain held then. */
  async latest(query: WeightsQuery): Promise<{ items: ValidatorWeightsDto[] }> {
    const filter = { netuid: query.netuid, validator: query.validator };
    const rows =
      query.asOfBlock === undefined
        ? await this.weights.latestOfKinds(filter, ['computed', 'committed', 'set', 'failed'])
        : await this.weights.heldAt(filter, query.asOfBlock);
    const byPair = new Map<string, ValidatorWeightsDto>();
    for (const row of rows) {
      const entry = byPair.get(pairKey(row)) ?? { netuid: row.netuid, validator: row.validator, computed: null, committed: null, set: null, failed: null };
      entry[row.kind as 'computed' | 'committed' | 'set' | 'failed'] = record(row);
      byPair.set(pairKey(row), entry);
    }
    return { items: [...byPair.values()].sort((a, b) => a.netuid - b.netuid || (a.validator < b.validator ? -1 : a.validator > b.validator ? 1 : 0)) };
  }

  /** Every scoring event of the validators, newest first. */
  async history(query: WeightsHistoryQuery): Promise<Page<WeightsRecordDto>> {
    const page = await this.weights.history({ netuid: query.netuid, validator: query.validator, kind: query.kind }, query);
    return { ...page, items: page.items.map(record) };
  }
}
