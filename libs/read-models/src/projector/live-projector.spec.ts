import { getEventListeners } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type { EventReader, ReadItem } from '#eventing';
import type { BatchApplier } from './batch-applier.js';
import { LiveProjector } from './live-projector.js';
import type { ProgressLogger } from './logger.js';

describe('LiveProjector retrying a failing batch', () => {
  it('keeps retrying without piling up abort listeners on its signal', async () => {
    const item = {
      ok: false,
      streamSequence: 1,
      subject: 's',
      recordedAt: new Date(0).toISOString(),
      error: new Error('x'),
      raw: new Uint8Array(),
    } as ReadItem;
    const reader: EventReader = {
      lastSequence: async () => 1,
      async *read() {
        yield item;
        await new Promise(() => undefined);
      },
    };
    let attempts = 0;
    // Stands in for Postgres being down: every batch fails.
    const applier = {
      schema: 's',
      dataSource: {},
      store: { checkpoint: async () => 0 },
      apply: async () => {
        attempts++;
        throw new Error('connection refused');
      },
    } as unknown as BatchApplier;
    const errors: string[] = [];
    const logger: ProgressLogger = { log: () => undefined, warn: () => undefined, error: (m: string) => void errors.push(m) };
    const stop = new AbortController();
    const running = new LiveProjector(applier, reader, { record: async () => undefined }, logger, { batchSize: 10, maxWaitMs: 1, retryDelayMs: 1 }).run(
      stop.signal,
    );
    while (attempts < 30) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(2);
    stop.abort();
    await running;
    expect(errors[0]).toBe('projection failed, retrying from the checkpoint: connection refused');
  });
});
