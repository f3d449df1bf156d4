import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ApiKeyRole } from '#contracts';
import { int8 } from './columns.js';

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ name: 'key_id', type: 'uuid' })
  keyId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Hex SHA-256 from events of before private verifiers (such keys are refused); null for every key issued since. */
  @Column({ type: 'text', nullable: true })
  sha256!: string | null;

  @Column({ type: 'text' })
  role!: ApiKeyRole;

  @Column({ name: 'issued_by', type: 'text', nullable: true })
  issuedBy!: string | null;

  @Column({ name: 'revoked_by', type: 'text', nullable: true })
  revokedBy!: string | null;

  @Column({ type: 'boolean' })
  revoked!: boolean;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
