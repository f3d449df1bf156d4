import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** A user's text as a literal ILIKE substring pattern (their % and _ match themselves). */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The schema-qualified, quoted table name of an entity, for the few queries written in SQL. */
export const tableOf = (dataSource: DataSource, entity: EntityTarget<ObjectLiteral>): string => {
  const { schema, tableName } = dataSource.getMetadata(entity);
  return schema ? `"${schema}"."${tableName}"` : `"${tableName}"`;
};
