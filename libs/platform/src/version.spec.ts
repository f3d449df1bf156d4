import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { PLATFORM_VERSION, producerOf } from './version.js';

describe('producer version', () => {
  it('is the version in the repository package.json, not a copy of it', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PLATFORM_VERSION).toBe(pkg.version);
    expect(PLATFORM_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(producerOf('scheduler')).toEqual({ app: 'scheduler', version: pkg.version });
  });
});
