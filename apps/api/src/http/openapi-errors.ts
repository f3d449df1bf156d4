import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

type Operation = OpenAPIObject['paths'][string]['get'] & object;
type Responses = Operation['responses'];

const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDto' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** Errors every route can answer: the rate limit applies to all (http/rate-limit.module.ts), a bug to any. */
const EVERYWHERE: Record<string, string> = {
  '429': 'Too many requests from this client (problem+json; Retry-After says when to retry)',
  '500': 'An unexpected error (problem+json that reveals nothing)',
};
const ON_INPUT = { '400': 'A parameter or body field is invalid (problem+json; `errors` names every field)' };

const takesInput = (operation: Operation): boolean => (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined;

/**
 * The problem+json schema on every error response of the document (ProblemFilter makes every error one), and the
 * error responses every route can give. Done once over the document, so no controller can forget it.
 */
export const documentErrorResponses = (document: OpenAPIObject): OpenAPIObject => {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const responses: Responses = operation.responses ?? {};
      const implied = { ...EVERYWHERE, ...(takesInput(operation) ? ON_INPUT : {}) };
      for (const [status, description] of Object.entries(implied)) responses[status] ??= { description };
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400 || !response || '$ref' in response) continue;
        response.content = { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } };
      }
      operation.responses = responses;
    }
  }
  return document;
};
