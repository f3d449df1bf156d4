import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Conforms, Text } from '../http/fields.js';
import { COMPETITION_ID } from '../http/formats.js';
import { CompetitionSettingsInput } from './competition-settings.input.js';

export class CreateCompetitionBody extends CompetitionSettingsInput {
  @ApiProperty({ description: 'Lowercase slug, 2-63 characters' })
  @Conforms(COMPETITION_ID)
  id!: string;
}

/** Only the fields to change; null clears startsAt/endsAt. */
export class UpdateCompetitionBody extends PartialType(CompetitionSettingsInput) {}

export class DeactivateCompetitionBody {
  @ApiPropertyOptional({ default: '' }) @IsOptional() @Text({ max: 1000 }) reason?: string;
}

export class AppendedEventDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'CompetitionCreated' }) type!: string;
  @ApiProperty() aggregateId!: string;
  @ApiProperty() aggregateVersion!: number;
  @ApiProperty({ description: 'Position in the events stream; read models include it once projected' }) streamSequence!: number;
}

export class CommandAcceptedDto {
  @ApiProperty({ type: () => [AppendedEventDto], description: 'Empty when the command changed nothing (e.g. activating an active competition)' })
  events!: AppendedEventDto[];
}
