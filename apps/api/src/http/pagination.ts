import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { QueryInt } from './fields.js';

export const MAX_PAGE_SIZE = 200;
/** Postgres takes a bigint OFFSET; past 2^31 - 1 no table here has rows, and the number stays exact everywhere. */
export const MAX_OFFSET = 2_147_483_647;

/** Offset pagination shared by every list endpoint. */
export class PageQuery {
  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @QueryInt(1, MAX_PAGE_SIZE)
  limit = 50;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @QueryInt(0, MAX_OFFSET)
  offset = 0;
}

type Constructor = new (...args: never[]) => object;
const pageTypes = new Map<Constructor, Constructor>();

/** The OpenAPI schema of a page of `item` (one class per item type, named `<Item>Page`). */
export const PageOf = (item: Constructor): Constructor => {
  const existing = pageTypes.get(item);
  if (existing) return existing;
  class PageDto {
    @ApiProperty({ type: () => [item] })
    items!: unknown[];

    @ApiProperty()
    total!: number;

    @ApiProperty()
    limit!: number;

    @ApiProperty()
    offset!: number;
  }
  Object.defineProperty(PageDto, 'name', { value: `${item.name.replace(/Dto$/, '')}Page` });
  pageTypes.set(item, PageDto);
  return PageDto;
};
