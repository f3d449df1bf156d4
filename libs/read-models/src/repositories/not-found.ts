import { DomainError } from '#domain';

/**
 * The one answer to "no such row": a domain error, so the HTTP edge maps it once (problem+json 404) like every
 * other not_found. `resource` and `id` travel as details for a client that wants more than the sentence.
 */
export class NotFound extends DomainError {
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super('not_found', `${resource} ${id} not found`, { resource, id });
  }
}

/** The row, or NotFound(resource, id) when the lookup found none. */
export const found = <T>(row: T | null, resource: string, id: string): T => {
  if (row === null) throw new NotFound(resource, id);
  return row;
};
