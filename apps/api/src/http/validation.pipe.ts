import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { fieldError, RequestValidationError } from './request-validation.error.js';

/**
 * Keys class-transformer silently drops (`__proto__`, and every name Object.prototype already has, such as
 * `toString`), so whitelisting never sees them: refused here like any unknown field.
 */
const isPrototypeKey = (key: string): boolean => key === 'prototype' || Object.hasOwn(Object.prototype, key);

/**
 * What is wrong with the shape of a body or query before class-transformer sees it: nesting deeper than `maxDepth`
 * arrays or objects, or a prototype key. A loop with its own stack, so a hostile depth cannot overflow the call stack
 * here (class-transformer's recursion would).
 */
export const shapeError = (value: unknown, maxDepth: number): ValidationError | undefined => {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    const at = next.path || 'body';
    if (next.depth === maxDepth) return fieldError(at, 'maxDepth', `${at} nests more than ${maxDepth} arrays or objects`);
    for (const [key, child] of Object.entries(next.value)) {
      const path = next.path ? `${next.path}.${key}` : key;
      if (isPrototypeKey(key)) return fieldError(path, 'whitelistValidation', `property ${path} should not exist`);
      pending.push({ value: child, path, depth: next.depth + 1 });
    }
  }
  return undefined;
};

/**
 * Strict input: unknown fields are refused, values are converted to the DTO's types, errors name every field.
 * A body or query nested deeper than `maxDepth`, or with a prototype key, is refused before class-transformer sees it.
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
    const error = metadata.type === 'body' || metadata.type === 'query' ? shapeError(value, this.maxDepth) : undefined;
    if (error) throw new RequestValidationError([error]);
    return super.transform(value, metadata);
  }
}
