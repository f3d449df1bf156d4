import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from './columns.js';

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ name: 'key_id', type: 'uuid' })
  keyId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Hex SHA-256 of the key; the key itself is never stored. */
  @Column({ type: 'text' })
  sha256!: string;

  @Column({ type: 'text' })
  role!: 'admin';

  @Column({ type: 'boolean' })
  revoked!: boolean;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: int8 })
  lastSequence!: number;
}
