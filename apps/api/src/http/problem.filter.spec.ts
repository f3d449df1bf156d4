import { describe, expect, it } from '@jest/globals';
import { HttpException, NotFoundException } from '@nestjs/common';
import { EventValidationError } from '#contracts';
import { DomainError } from '#domain';
import { ConcurrencyError } from '#eventing';
import { toProblem } from './problem.filter.js';
import { TooManyRequestsError } from './too-many-requests.error.js';

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

  it('maps Postgres being unreachable (refused, or TypeORM wrapping a shutdown) to a 503 that names Postgres', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('query failed'), {
      driverError: { code: '57P01', message: 'terminating connection due to administrator command' },
    });
    for (const error of [refused, shutdown])
      expect(toProblem(error)).toMatchObject({
        status: 503,
        type: expect.stringContaining('postgres-unavailable'),
        detail: expect.stringContaining('Postgres'),
      });
    expect(toProblem(Object.assign(new Error('syntax error'), { code: '42601' })).status).toBe(500);
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

  it('titles an HTTP error by its status when it carries none (a body-parser 413)', () => {
    expect(toProblem(new HttpException('request entity too large', 413))).toMatchObject({ status: 413, title: 'Payload Too Large' });
  });

  it('maps a client over a limit to 429 with the seconds to wait', () => {
    expect(toProblem(new TooManyRequestsError('slow down', 42))).toMatchObject({
      status: 429,
      title: 'Too Many Requests',
      detail: 'slow down',
      retryAfterSeconds: 42,
    });
  });

  it('turns anything else into a 500 that reveals nothing', () => {
    const problem = toProblem(new Error('password=hunter2 at db.internal:5432'));
    expect(problem).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });
});
