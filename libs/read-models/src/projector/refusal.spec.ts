import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { refusalReason } from './refusal.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('refusalReason', () => {
  it('names data the server can never take: data exceptions, constraint violations, program limits', () => {
    const wrapped = new QueryFailedError('INSERT …', [], pgError('22003', 'value "3000000000" is out of range for type integer'));
    expect(refusalReason(wrapped)).toBe('postgres refused it (22003): value "3000000000" is out of range for type integer');
    expect(refusalReason(pgError('22P05', 'unsupported Unicode escape sequence'))).toMatch(/^postgres refused it \(22P05\)/);
    expect(refusalReason(pgError('23514', 'new row violates check constraint'))).toMatch(/\(23514\)/);
    expect(refusalReason(pgError('54000', 'index row size exceeds maximum'))).toMatch(/\(54000\)/);
  });

  it('never calls an outage, a deadlock, a bug or an unknown error a refusal', () => {
    for (const code of ['08006', '40P01', '40001', '53300', '57P01', '57014', '58030', 'XX000', '42P01', '25P02']) {
      expect(refusalReason(pgError(code, 'some failure'))).toBeUndefined();
    }
    expect(refusalReason(new Error('Connection terminated unexpectedly'))).toBeUndefined();
    expect(refusalReason(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(refusalReason(undefined)).toBeUndefined();
  });
});
