import { ApiProperty } from '@nestjs/swagger';
import { commitmentRejectionReasons } from '#domain';

export class CommitmentDto {
  @ApiProperty({ description: 'Stream sequence of the CommitmentObserved event' }) streamSequence!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() netuid!: number;
  @ApiProperty({ description: 'Miner hotkey (SS58)' }) hotkey!: string;
  @ApiProperty({ type: Number, nullable: true }) uid!: number | null;
  @ApiProperty() block!: number;
  @ApiProperty() blockHash!: string;
  @ApiProperty({ description: 'The committed bytes, 0x-hex, exactly as on chain' }) raw!: string;
  @ApiProperty({ description: 'Whether the bytes decode as a Kinitro commitment' }) valid!: boolean;
  @ApiProperty({ type: String, nullable: true }) competitionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) repo!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'As committed: a full sha or a prefix' }) revision!: string | null;
  @ApiProperty({ type: String, enum: commitmentRejectionReasons, nullable: true }) rejectionReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectionDetail!: string | null;
  @ApiProperty({ format: 'date-time' }) observedAt!: Date;
}
