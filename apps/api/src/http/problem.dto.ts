import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ description: 'Dotted path of the offending field', example: 'benchmarks.0.tasks' }) field!: string;
  @ApiProperty({ type: [String] }) messages!: string[];
}

/** The OpenAPI schema of every error this API answers (RFC 9457; see problem.ts and problem.filter.ts). */
export class ProblemDto {
  @ApiProperty({ format: 'uri', example: 'https://kinitro.dev/problems/invalid-request' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty() detail!: string;
  @ApiPropertyOptional({ description: 'The request path' }) instance?: string;
  @ApiPropertyOptional({ type: () => [FieldErrorDto], description: 'On 400: every field that failed validation' }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ enum: ['not_found', 'conflict', 'invalid'], description: 'On a refusal by the rules (404, 409, 422): its stable code' }) code?: string;
  @ApiPropertyOptional({ example: 'submission', description: 'On a 404 of a lookup: the kind of resource not found' }) resource?: string;
  @ApiPropertyOptional({ description: 'On a 404 of a lookup: the id not found' }) id?: string;
}
