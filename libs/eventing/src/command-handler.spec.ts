import { describe, expect, it } from '@jest/globals';
import { withConcurrencyRetry } from './command-handler.js';
import { ConcurrencyError } from './errors.js';

const conflict = () => new ConcurrencyError('job', 'j1', { version: 1, lastSequence: 7 });

describe('withConcurrencyRetry', () => {
  it('retries after a conflict and returns the first success', async () => {
    const attempts: number[] = [];
    const result = await withConcurrencyRetry(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw conflict();
        return 'done';
      },
      { attempts: 3 },
    );
    expect(result).toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('gives up with the ConcurrencyError after the last attempt', async () => {
    let calls = 0;
    const run = withConcurrencyRetry(
      async () => {
        calls++;
        throw conflict();
      },
      { attempts: 2 },
    );
    await expect(run).rejects.toBeInstanceOf(ConcurrencyError);
    expect(calls).toBe(2);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const run = withConcurrencyRetry(
      async () => {
        calls++;
        throw new Error('boom');
      },
      { attempts: 5 },
    );
    await expect(run).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});
