import { describe, expect, it } from '@jest/globals';
import { decodeJobCursor, encodeJobCursor } from './job-cursor.js';

describe('jobs cursor', () => {
  it('is 8 bytes of microseconds then the id, base64url', () => {
    // 00…01 | 00…02 in 24 bytes, worked out by hand: eleven A, E, then A… and a final C.
    const cursor = encodeJobCursor({ createdAtMicros: 1n, id: '00000000-0000-0000-0000-000000000002' });
    expect(cursor).toBe('AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAC');
    expect(decodeJobCursor(cursor)).toEqual({ createdAtMicros: 1n, id: '00000000-0000-0000-0000-000000000002' });
  });

  it('keeps microseconds and ids exactly', () => {
    const position = { createdAtMicros: 1_796_177_625_123_457n, id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479' };
    expect(decodeJobCursor(encodeJobCursor(position))).toEqual(position);
  });

  it('clamps a position outside the years 1–9999 to their edge, where no job is', () => {
    // All 0xff bytes: -1 µs stays; 0x7f… (the largest int8) becomes 9999-12-31T23:59:59.999999Z.
    expect(decodeJobCursor('_'.repeat(32)).createdAtMicros).toBe(-1n);
    expect(decodeJobCursor('f' + '_'.repeat(31)).createdAtMicros).toBe(253_402_300_799_999_999n);
    expect(decodeJobCursor('g' + 'A'.repeat(31)).createdAtMicros).toBe(-62_135_596_800_000_000n);
  });

  it('refuses what does not have a cursor’s shape', () => {
    expect(() => decodeJobCursor('abc')).toThrow('not a jobs cursor');
    expect(() => decodeJobCursor('A'.repeat(31) + '=')).toThrow('not a jobs cursor');
  });
});
