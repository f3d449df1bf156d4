import { CompetitionFilter, HotkeyFilter, UuidFilter } from '../http/common-query.js';
import { PageQuery } from '../http/pagination.js';

export class ResultsQuery extends PageQuery {
  @CompetitionFilter() competition?: string;
  @HotkeyFilter('Miner') miner?: string;
  @HotkeyFilter('Validator') validator?: string;
  @UuidFilter('Job id') job?: string;
  @UuidFilter('Submission id') submission?: string;
}
