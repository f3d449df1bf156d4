import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** The schema-qualified, quoted table name of an entity, for the few queries written in SQL. */
export const tableOf = (dataSource: DataSource, entity: EntityTarget<ObjectLiteral>): string => {
  const { schema, tableName } = dataSource.getMetadata(entity);
  return schema ? `"${schema}"."${tableName}"` : `"${tableName}"`;
};
