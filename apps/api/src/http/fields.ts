import { applyDecorators, Param, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApiParam, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Length, Max, Min, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import type { z } from 'zod';
import { isStorableText } from '#contracts';
import { fieldError, RequestValidationError } from './request-validation.error.js';

/**
 * The one definition of each kind of input check. Every text and number a client sends goes through one of these,
 * so nothing reaches Postgres (no U+0000 in text, bigint range) or NATS malformed. Each also documents itself in
 * the OpenAPI schema; a DTO's own ApiProperty adds descriptions and whether the field is required.
 */

const StorableText = (options: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isStorableText',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isStorableText(value),
        defaultMessage: (args) => `${args?.property} must be text without U+0000 or unpaired surrogates`,
      },
    },
    options,
  );

/**
 * A body field that may be left out, but is checked when present, null included. class-validator's IsOptional
 * skips null too, which let `"camera": null` past the edge to a 422 of another shape from the contract; IsOptional
 * stays only on the fields whose contract takes null (startsAt, endsAt).
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object, value: unknown) => value !== undefined);

/** A string of `min`–`max` UTF-16 units that can be stored as Postgres text. `each` for an array of them. */
export const Text = ({ min = 0, max, each: forEach = false }: { min?: number; max: number; each?: boolean }): PropertyDecorator =>
  applyDecorators(
    ApiProperty(
      forEach ? { items: { type: 'string', minLength: min || undefined, maxLength: max } } : { type: String, minLength: min || undefined, maxLength: max },
    ),
    IsString({ each: forEach }),
    Length(min, max, { each: forEach }),
    StorableText({ each: forEach }),
  );

/** A whole number in [min, max]; max at most 2^53 - 1, so it is exact in JavaScript and fits a Postgres bigint. */
export const BoundedInt = (min: number, max: number): PropertyDecorator => {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) throw new Error(`BoundedInt bounds must be safe integers: ${min}, ${max}`);
  return applyDecorators(ApiProperty({ type: 'integer', minimum: min, maximum: max }), IsInt(), Min(min), Max(max));
};

const DECIMAL = /^(0|-?[1-9][0-9]{0,15})$/;

/**
 * A query-string integer: only plain decimal digits become a number ("0x10", "1e3", " 5", "" and "5.0" stay text
 * for IsInt to refuse, where class-transformer's Number() would read them as 16, 1000, 5, 0 and 5).
 */
export const QueryInt = (min: number, max: number): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value)),
    BoundedInt(min, max),
  );

/** A format the contract defines (its zod schema is the one definition), with what the OpenAPI document says of it. */
export interface Format {
  schema: z.ZodType;
  /** Completes "<field> must be …". */
  must: string;
  openApi: { format?: string; example?: string; pattern?: string; enum?: string[] };
}

const accepts = (format: Format, value: unknown): boolean => format.schema.safeParse(value).success;

/** A value in one of the contract's formats (ids, hotkeys, names). `each` for an array of them. */
export const Conforms = (format: Format, { each = false }: { each?: boolean } = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty(each ? { items: { type: 'string', ...format.openApi } } : { type: String, ...format.openApi }),
    ValidateBy(
      {
        name: 'conforms',
        validator: {
          validate: (value: unknown) => accepts(format, value),
          defaultMessage: (args) => `${args?.property} must be ${format.must}`,
        },
      },
      { each },
    ),
  );

/** A path parameter in one of the contract's formats: refused with 400 naming the parameter, documented as such. */
export class FormatPipe implements PipeTransform<unknown, string> {
  constructor(private readonly format: Format) {}

  transform(value: unknown, { data }: ArgumentMetadata): string {
    if (accepts(this.format, value)) return value as string;
    const name = data ?? 'parameter';
    throw new RequestValidationError([fieldError(name, 'conforms', `${name} must be ${this.format.must}`)]);
  }
}

export const PathParam =
  (name: string, format: Format): ParameterDecorator =>
  (target, method, index) => {
    if (method === undefined) throw new Error('PathParam decorates a route handler parameter');
    ApiParam({ name, required: true, schema: { type: 'string', ...format.openApi } })(target, method, Object.getOwnPropertyDescriptor(target, method)!);
    Param(name, new FormatPipe(format))(target, method, index);
  };
