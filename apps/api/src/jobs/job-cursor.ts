import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/**
 * A keyset position in the jobs list: the (created_at, id) of the last job of a page, as 8 bytes of microseconds
 * since the epoch and the id's 16 bytes, base64url (32 characters). Clients treat it as opaque. Every string of
 * that shape is a position (jobs older than it), so there is nothing to look up and nothing "not found".
 */
export interface JobPosition {
  /** Microseconds since 1970-01-01 UTC: Postgres keeps microseconds, a Date would lose them. */
  createdAtMicros: bigint;
  id: string;
}

const SHAPE = /^[A-Za-z0-9_-]{32}$/;
// Postgres timestamptz holds far more than this; clamping keeps any position inside what it can compute exactly.
const EARLIEST = -62_135_596_800_000_000n; // 0001-01-01
const LATEST = 253_402_300_799_999_999n; // 9999-12-31

export const encodeJobCursor = ({ createdAtMicros, id }: JobPosition): string => {
  const bytes = Buffer.alloc(24);
  bytes.writeBigInt64BE(createdAtMicros);
  Buffer.from(id.replace(/-/g, ''), 'hex').copy(bytes, 8);
  return bytes.toString('base64url');
};

export const decodeJobCursor = (cursor: string): JobPosition => {
  const bytes = Buffer.from(cursor, 'base64url');
  if (!SHAPE.test(cursor) || bytes.length !== 24) throw new Error(`not a jobs cursor: ${cursor}`);
  const micros = bytes.readBigInt64BE();
  const hex = bytes.subarray(8).toString('hex');
  return {
    createdAtMicros: micros < EARLIEST ? EARLIEST : micros > LATEST ? LATEST : micros,
    id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
  };
};

/** The `cursor` query parameter: refused with 400 naming it unless it has a cursor's shape. */
export const CursorParam = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: String,
      pattern: SHAPE.source,
      description:
        'Keyset pagination: the `nextCursor` of the previous page. Returns the jobs after that page in the same order, as fast deep in the list as at its start; `offset` then counts from the cursor.',
    }),
    IsOptional(),
    Matches(SHAPE, { message: 'cursor must be the nextCursor of a previous page (32 base64url characters)' }),
  );
