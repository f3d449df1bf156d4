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

export const problem = (status: number, slug: string, title: string, detail: string, extensions: Record<string, unknown> = {}): Problem => ({
  type: `${PROBLEM_BASE}${slug}`,
  title,
  status,
  detail,
  ...extensions,
});
