import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Conforms, type Format } from './fields.js';
import { COMPETITION_ID, HOTKEY, UUID } from './formats.js';

/** Reusable, documented, optional filter properties: apply to a query class's fields. */
const Filter = (format: Format, description: string): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ description }), IsOptional(), Conforms(format));

export const CompetitionFilter = (): PropertyDecorator => Filter(COMPETITION_ID, 'Competition id');
export const HotkeyFilter = (description: string): PropertyDecorator => Filter(HOTKEY, `${description} (SS58 hotkey)`);
export const UuidFilter = (description: string): PropertyDecorator => Filter(UUID, description);
