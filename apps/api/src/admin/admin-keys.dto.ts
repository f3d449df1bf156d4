import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { apiKeyRoles, type ApiKeyRole } from '#contracts';
import { Text } from '../http/fields.js';
import { PageQuery } from '../http/pagination.js';
import { ToBoolean } from '../http/query-transforms.js';

export class IssueApiKeyBody {
  @ApiProperty({ description: 'What the key is for (shown in lists and in the events it signs as `api-key:<name>`)' })
  @Text({ min: 1, max: 200 })
  name!: string;

  @ApiProperty({ enum: apiKeyRoles, description: 'admin: everything; validator, viewer: who one is, the logs, the projections’ status (docs/api.md)' })
  @IsIn(apiKeyRoles)
  role!: ApiKeyRole;
}

export class IssuedApiKeyDto {
  @ApiProperty({ format: 'uuid' }) keyId!: string;
  @ApiProperty({ description: 'The key. Shown this once: the API keeps only a salted scrypt hash of it' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: apiKeyRoles }) role!: ApiKeyRole;
  @ApiProperty() issuedBy!: string;
  @ApiProperty({ description: 'Position of the ApiKeyIssued event in the events stream' }) streamSequence!: number;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) keyId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: apiKeyRoles }) role!: ApiKeyRole;
  @ApiProperty({ type: String, nullable: true, description: 'Null for keys projected before issuers were recorded' }) issuedBy!: string | null;
  @ApiProperty({ format: 'date-time' }) issuedAt!: Date;
  @ApiProperty() revoked!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) revokedBy!: string | null;
  @ApiProperty({ description: 'Issued by an older API that put its SHA-256 in the log: refused, issue a new one' }) legacy!: boolean;
}

export class ApiKeysQuery extends PageQuery {
  @ApiPropertyOptional({ enum: apiKeyRoles }) @IsOptional() @IsIn(apiKeyRoles) role?: ApiKeyRole;
  @ApiPropertyOptional({ type: Boolean, description: 'true: revoked keys only; false: live keys only' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  revoked?: boolean;
}

export class KeyIdentityDto {
  @ApiProperty({ example: 'api-key:ops' }) name!: string;
  @ApiProperty({ enum: apiKeyRoles }) role!: ApiKeyRole;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the bootstrap key' }) keyId!: string | null;
}
