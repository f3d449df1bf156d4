import type { QueryRunner } from 'typeorm';

/** The schema a migration runs in: the one its data source was created for, so one migration serves every schema. */
export const schemaOf = (queryRunner: QueryRunner): string => {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('read-model migrations need a data source with an explicit schema');
  return schema;
};
