import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '#read-models';
import { JobDto } from './job.dto.js';

/** Up to this many matching jobs are counted exactly; beyond, the total is the planner's estimate. */
export const EXACT_TOTAL_LIMIT = 1000;

export interface JobPage<T> extends Page<T> {
  totalIsEstimate: boolean;
  nextCursor: string | null;
}

export class JobPageDto {
  @ApiProperty({ type: () => [JobDto] }) items!: JobDto[];

  @ApiProperty({
    description: `Jobs matching the filters (ignoring limit, offset and cursor): exact up to ${EXACT_TOTAL_LIMIT}; beyond, Postgres's planner estimate (from its table statistics), so that a page never counts the whole table. \`totalIsEstimate\` says which.`,
  })
  total!: number;

  @ApiProperty({ description: `true when \`total\` is an estimate (more than ${EXACT_TOTAL_LIMIT} matches)` }) totalIsEstimate!: boolean;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}
