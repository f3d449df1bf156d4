import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { fieldError, RequestValidationError } from './request-validation.error.js';

/**
 * The path at which a JSON value nests more than `max` arrays or objects, if it does. A loop with its own stack, so a
 * hostile depth cannot overflow the call stack here (class-transformer's recursion would).
 */
export const tooDeepAt = (value: unknown, max: number): string | undefined => {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth === max) return next.path || 'body';
    for (const [key, child] of Object.entries(next.value)) pending.push({ value: child, path: next.path ? `${next.path}.${key}` : key, depth: next.depth + 1 });
  }
  return undefined;
};

/**
 * Strict input: unknown fields are refused, values are converted to the DTO's types, errors name every field.
 * A body nested deeper than `maxDepth` is refused before class-transformer sees it.
 */
export class EdgeValidationPipe extends ValidationPipe {
  constructor(private readonly maxDepth: number) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new RequestValidationError(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const at = metadata.type === 'body' ? tooDeepAt(value, this.maxDepth) : undefined;
    if (at !== undefined) throw new RequestValidationError([fieldError(at, 'maxDepth', `${at} nests more than ${this.maxDepth} arrays or objects`)]);
    return super.transform(value, metadata);
  }
}
