import { ValidationError } from 'class-validator';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `benchmarks.0.tasks`. */
  field: string;
  messages: string[];
}

const flatten = (errors: ValidationError[], parent = ''): FieldError[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** A request body, query or path parameter that failed validation: 400, naming every field. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  readonly errors: FieldError[];

  constructor(errors: ValidationError[]) {
    const fields = flatten(errors);
    super(`invalid request: ${fields.map((f) => `${f.field} (${f.messages.join('; ')})`).join(', ')}`);
    this.errors = fields;
  }
}

/** One failed check found outside class-validator (a path parameter, a body too deep), in its shape. */
export const fieldError = (property: string, constraint: string, message: string): ValidationError =>
  Object.assign(new ValidationError(), { property, constraints: { [constraint]: message }, children: [] });
