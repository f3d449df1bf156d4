import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';

/** Reusable, documented filter properties: apply to a query class's fields. */
export const CompetitionFilter = (): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({ description: 'Competition id' })(target, key);
  IsOptional()(target, key);
  Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: `${String(key)} must be a competition id` })(target, key);
};

export const HotkeyFilter = (description: string): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({ description: `${description} (SS58 hotkey)` })(target, key);
  IsOptional()(target, key);
  IsString()(target, key);
};

export const UuidFilter = (description: string): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({ description, format: 'uuid' })(target, key);
  IsOptional()(target, key);
  IsUUID()(target, key);
};
