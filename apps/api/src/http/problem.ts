/** An RFC 9457 problem document. Extension members carry machine-readable details (issues, fields, codes). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const PROBLEM_BASE = 'https://kinitro.dev/problems/';

/** Extensions come first: a detail named like a standard member (a DomainError's `status`) cannot replace it. */
export const problem = (status: number, slug: string, title: string, detail: string, extensions: Record<string, unknown> = {}): Problem => ({
  ...extensions,
  type: `${PROBLEM_BASE}${slug}`,
  title,
  status,
  detail,
});
