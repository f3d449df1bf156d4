import { describe, expect, it } from '@jest/globals';
import { getMetadataArgsStorage } from 'typeorm';
import { readModelEntities } from './index.js';

// The projection's row types are the entities with property names turned into column names (projection/rows.ts,
// `ColumnName`). That holds only if every column is named so: a column named otherwise would leave the row type
// with a key no table has. The expectation is spelled out per column, not computed by the type it checks.
describe('read-model entities', () => {
  it('name every column as its property in snake case', () => {
    const columns = getMetadataArgsStorage().columns.filter((column) => readModelEntities.includes(column.target as never));
    expect(columns.length).toBeGreaterThan(150);
    const misnamed = columns
      .map((column) => ({ property: column.propertyName, column: column.options.name ?? column.propertyName }))
      .filter(({ property, column }) => column !== property.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`));
    expect(misnamed).toEqual([]);
  });
});
