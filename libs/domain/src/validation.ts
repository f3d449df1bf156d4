import { DomainError } from './errors.js';

/** The shape of a zod issue, without depending on zod: the domain only reads path and message. */
interface Issue {
  path: PropertyKey[];
  message: string;
}

/** Turns schema issues into one 'invalid' DomainError whose message and details name every offending field. */
export const invalidInput = (what: string, prefix: string, issues: readonly Issue[]): DomainError => {
  const named = issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
  return new DomainError('invalid', `invalid ${what}: ${named.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues: named });
};

/** Parses with a contract schema, or throws the DomainError naming the field. */
export const parseOrInvalid = <T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } } },
  value: unknown,
  what: string,
  prefix = '',
): T => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(what, prefix, parsed.error.issues);
  return parsed.data;
};
