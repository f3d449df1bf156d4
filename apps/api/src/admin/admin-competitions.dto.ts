import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CompetitionSettingsInput } from './competition-settings.input.js';

export class CreateCompetitionBody extends CompetitionSettingsInput {
  @ApiProperty({ example: 'mt10', description: 'Lowercase slug, 2-63 characters' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'id must be a lowercase slug of 2-63 characters' })
  id!: string;
}

/** Only the fields to change; null clears startsAt/endsAt. */
export class UpdateCompetitionBody extends PartialType(CompetitionSettingsInput) {}

export class DeactivateCompetitionBody {
  @ApiPropertyOptional({ default: '' }) @IsOptional() @IsString() @MaxLength(1000) reason?: string;
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
