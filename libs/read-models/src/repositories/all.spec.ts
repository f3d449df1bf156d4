import { describe, expect, it } from '@jest/globals';
import * as exported from './index.js';
import { readModelRepositories } from './all.js';

describe('readModelRepositories', () => {
  it('lists every repository the barrel exports, so a new one is wired into the API with the rest', () => {
    const repositories = Object.entries(exported).filter(([name, value]) => name.endsWith('Repository') && typeof value === 'function');
    expect(repositories.length).toBeGreaterThan(10);
    expect(new Set(readModelRepositories)).toEqual(new Set(repositories.map(([, value]) => value)));
  });
});
