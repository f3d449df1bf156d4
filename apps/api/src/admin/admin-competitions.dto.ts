import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Conforms, Optional, Text } from '../http/fields.js';
import { COMPETITION_ID } from '../http/formats.js';
import { CompetitionSettingsInput } from './competition-settings.input.js';

export class CreateCompetitionBody extends CompetitionSettingsInput {
  @ApiProperty({ description: 'Lowercase slug, 2-63 characters' })
  @Conforms(COMPETITION_ID)
  id!: string;
}

/** Only the fields to change; null clears startsAt/endsAt and is refused elsewhere (400 naming the field). */
export class UpdateCompetitionBody extends PartialType(CompetitionSettingsInput, { skipNullProperties: false }) {}

export class DeactivateCompetitionBody {
  @ApiPropertyOptional({ default: '' }) @Optional() @Text({ max: 1000 }) reason?: string;
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
