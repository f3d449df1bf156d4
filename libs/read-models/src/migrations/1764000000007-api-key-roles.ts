import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of.js';

/**
 * API keys with roles, issued without key material in the log: `sha256` is kept for keys from older events only
 * (the API refuses them), and who issued or revoked each key is shown. Rows projected before this migration get the
 * issuer on the next replay.
 */
export class ApiKeyRoles1764000000007 implements MigrationInterface {
  name = 'ApiKeyRoles1764000000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      ALTER TABLE ${s}.api_keys ALTER COLUMN sha256 DROP NOT NULL;
      ALTER TABLE ${s}.api_keys ADD COLUMN issued_by text, ADD COLUMN revoked_by text;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      ALTER TABLE ${s}.api_keys DROP COLUMN issued_by, DROP COLUMN revoked_by;
      DELETE FROM ${s}.api_keys WHERE sha256 IS NULL;
      ALTER TABLE ${s}.api_keys ALTER COLUMN sha256 SET NOT NULL;
    `);
  }
}
