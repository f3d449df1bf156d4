import { describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { EventValidationError } from '#contracts';
import { DomainError } from '#domain';
import { ConcurrencyError } from '#eventing';
import { toProblem } from './problem.filter.js';

describe('toProblem', () => {
  it.each([
    ['not_found', 404],
    ['conflict', 409],
    ['invalid', 422],
  ] as const)('maps DomainError %s to %i with its details', (code, status) => {
    const problem = toProblem(new DomainError(code, 'refused', { field: 'x' }));
    expect(problem).toMatchObject({ status, code, detail: 'refused', field: 'x' });
  });

  it('keeps the standard members when a DomainError detail has the same name', () => {
    const problem = toProblem(new DomainError('conflict', 'job is cancelled', { status: 'cancelled', title: 'x' }));
    expect(problem).toMatchObject({ status: 409, title: 'Conflict', detail: 'job is cancelled' });
  });

  it('maps a concurrency conflict to 409', () => {
    expect(toProblem(new ConcurrencyError('competition', 'c1', { version: 1, lastSequence: 4 })).status).toBe(409);
  });

  it('maps an invalid event to 422 with its issues', () => {
    const issues = [{ path: 'data.name', message: 'required' }];
    expect(toProblem(new EventValidationError('CompetitionCreated', issues))).toMatchObject({ status: 422, issues });
  });

  it('keeps Nest HTTP exceptions’ status and message', () => {
    expect(toProblem(new NotFoundException('no such thing'))).toMatchObject({ status: 404, title: 'Not Found', detail: 'no such thing' });
  });

  it('turns anything else into a 500 that reveals nothing', () => {
    const problem = toProblem(new Error('password=hunter2 at db.internal:5432'));
    expect(problem).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });
});
