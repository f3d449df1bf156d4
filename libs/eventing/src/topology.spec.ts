import { describe, expect, it } from '@jest/globals';
import { topology } from '#contracts';
import { desiredStreams, streamDrift } from './topology.js';

describe('desiredStreams', () => {
  const [events, work, dlq] = desiredStreams(topology('kinitro'), { replicas: 3 });

  it('keeps the event log forever and protects it from deletion', () => {
    expect(events).toMatchObject({
      name: 'KINITRO_EVENTS',
      subjects: ['kinitro.evt.>'],
      retention: 'limits',
      storage: 'file',
      max_age: 0,
      duplicate_window: 120_000_000_000,
      deny_delete: true,
      deny_purge: true,
      allow_direct: true,
      num_replicas: 3,
    });
  });

  it('makes work a work queue and dead letters a limits stream', () => {
    expect(work).toMatchObject({ name: 'KINITRO_WORK', subjects: ['kinitro.work.>'], retention: 'workqueue', storage: 'file' });
    expect(dlq).toMatchObject({ name: 'KINITRO_DLQ', subjects: ['kinitro.dlq.>'], retention: 'limits', storage: 'file' });
  });
});

describe('streamDrift', () => {
  const [events] = desiredStreams(topology('kinitro'), { replicas: 1 });

  it('sees no drift in a stream created from the same config, whatever the server added', () => {
    expect(streamDrift(events!, { ...events!, max_msgs: -1, sealed: false })).toEqual([]);
  });

  it('treats fields the server omits as their zero value', () => {
    const [, work] = desiredStreams(topology('kinitro'), { replicas: 1 });
    const { deny_delete: _d, deny_purge: _p, allow_direct: _a, ...reported } = work!;
    expect(streamDrift(work!, reported)).toEqual([]);
  });

  it('names the fields that differ', () => {
    expect(streamDrift(events!, { ...events!, retention: 'workqueue', deny_purge: false })).toEqual(['retention', 'deny_purge']);
  });
});
