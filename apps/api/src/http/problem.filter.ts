import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { EventValidationError } from '#contracts';
import { DomainError } from '#domain';
import { ConcurrencyError, InvalidAggregateIdError, UnreadableHistoryError } from '#eventing';
import { ObjectNotFoundError, ObjectStoreError } from '#storage';
import { isPostgresUnavailable } from './postgres-unavailable.js';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';
import { RequestValidationError } from './request-validation.error.js';
import { TooManyRequestsError } from './too-many-requests.error.js';

const domainStatus: Record<DomainError['code'], number> = {
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
};

const domainTitle: Record<DomainError['code'], string> = {
  not_found: 'Not Found',
  conflict: 'Conflict',
  invalid: 'Unprocessable Content',
};

const fromHttpException = (error: HttpException): Problem => {
  const status = error.getStatus();
  const body = error.getResponse();
  const title = typeof body === 'object' && 'error' in body ? String(body.error) : (STATUS_CODES[status] ?? 'Error');
  const extensions = typeof body === 'object' && 'problem' in body ? (body.problem as Record<string, unknown>) : {};
  return problem(status, `http-${status}`, title, error.message, extensions);
};

/** Maps a thrown error to a problem document; anything unknown becomes a 500 that reveals nothing. */
export const toProblem = (error: unknown): Problem => {
  if (error instanceof RequestValidationError) {
    return problem(HttpStatus.BAD_REQUEST, 'invalid-request', 'Bad Request', error.message, { errors: error.errors });
  }
  if (error instanceof TooManyRequestsError) {
    return problem(HttpStatus.TOO_MANY_REQUESTS, 'too-many-requests', 'Too Many Requests', error.message, { retryAfterSeconds: error.retryAfterSeconds });
  }
  if (error instanceof DomainError) {
    return problem(domainStatus[error.code], error.code.replace('_', '-'), domainTitle[error.code], error.message, {
      code: error.code,
      ...error.details,
    });
  }
  if (error instanceof ConcurrencyError) {
    return problem(HttpStatus.CONFLICT, 'concurrent-change', 'Conflict', 'the resource changed while the command ran; retry it');
  }
  if (error instanceof UnreadableHistoryError) {
    // Not the client's fault, but a known state of this one resource, not an outage: say where the message is.
    return problem(HttpStatus.CONFLICT, 'unreadable-history', 'Conflict', `${error.message}; see /api/v1/events/${error.streamSequence}`, {
      aggregate: error.aggregate,
      aggregateId: error.aggregateId,
      streamSequence: error.streamSequence,
    });
  }
  if (error instanceof InvalidAggregateIdError) {
    return problem(HttpStatus.BAD_REQUEST, 'invalid-id', 'Bad Request', error.message, { aggregate: error.aggregate, aggregateId: error.aggregateId });
  }
  if (error instanceof EventValidationError) {
    return problem(HttpStatus.UNPROCESSABLE_ENTITY, 'invalid-event', 'Unprocessable Content', error.message, { issues: error.issues });
  }
  if (error instanceof ObjectNotFoundError) {
    // Recorded by an event yet not in the store (or removed since): this object is missing, the store is fine.
    return problem(HttpStatus.NOT_FOUND, 'object-not-found', 'Not Found', error.message);
  }
  if (error instanceof ObjectStoreError) {
    return problem(HttpStatus.SERVICE_UNAVAILABLE, 'object-store-unavailable', 'Service Unavailable', 'the object store cannot be read right now; retry later');
  }
  if (error instanceof HttpException) return fromHttpException(error);
  if (isPostgresUnavailable(error)) {
    return problem(
      HttpStatus.SERVICE_UNAVAILABLE,
      'postgres-unavailable',
      'Service Unavailable',
      'Postgres (the read models) cannot be reached right now; retry later',
    );
  }
  return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'internal', 'Internal Server Error', 'an unexpected error occurred');
};

/** The parts of Express's request and response the filter uses (the project does not ship @types/express). */
interface HttpRequest {
  method: string;
  originalUrl: string;
}
interface HttpResponse {
  setHeader(name: string, value: string): void;
  status(code: number): HttpResponse;
  type(contentType: string): HttpResponse;
  json(body: unknown): void;
}

/** The one place errors become HTTP responses: every error is application/problem+json (RFC 9457). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const response = http.getResponse<HttpResponse>();
    const body: Problem = { ...toProblem(error), instance: request.originalUrl };
    // A 5xx the code chose (readiness saying "not yet", an unreachable dependency named) is news, not a bug: one line.
    // Only what nobody anticipated gets its stack.
    if (body.status >= 500 && (error instanceof ObjectStoreError || isPostgresUnavailable(error)))
      this.logger.warn(`${request.method} ${request.originalUrl}: ${(error as Error).message}`);
    else if (body.status >= 500 && error instanceof HttpException)
      this.logger.warn(`${request.method} ${request.originalUrl}: ${body.status} ${error.message}`);
    else if (body.status >= 500) this.logger.error(`${request.method} ${request.originalUrl} failed`, (error as Error)?.stack ?? String(error));
    if (body.status === Number(HttpStatus.UNAUTHORIZED)) response.setHeader('WWW-Authenticate', 'Bearer');
    if (error instanceof TooManyRequestsError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).json(body);
  }
}
