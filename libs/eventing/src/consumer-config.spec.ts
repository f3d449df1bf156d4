import { describe, expect, it } from '@jest/globals';
import { consumerConfig, nakDelay } from './consumer-runner.js';
import { UnsupportedFeatureError } from './errors.js';
import { serverFeatures } from './features.js';

const base = { durable: 'projector', ackWaitMs: 30_000 };

describe('consumerConfig', () => {
  it('uses the single filter_subject that 2.9 understands for one subject and leaves the delivery limit to the runner', () => {
    const config = consumerConfig({ ...base, filterSubject: 'kinitro.evt.>' });
    expect(config).toMatchObject({
      durable_name: 'projector',
      ack_policy: 'explicit',
      filter_subject: 'kinitro.evt.>',
      max_deliver: -1,
      ack_wait: 30_000_000_000,
    });
    expect(config.filter_subjects).toBeUndefined();
  });

  it('refuses several filter subjects on 2.9 instead of letting the server ignore them', () => {
    expect(() => consumerConfig({ ...base, filterSubject: ['kinitro.evt.job.*', 'kinitro.evt.submission.*'], features: serverFeatures('2.9.10') })).toThrow(
      UnsupportedFeatureError,
    );
  });

  it('refuses several filter subjects when the server version is unknown', () => {
    expect(() => consumerConfig({ ...base, filterSubject: ['a.>', 'b.>'] })).toThrow(/features/);
  });

  it('uses filter_subjects on 2.10+', () => {
    const config = consumerConfig({ ...base, filterSubject: ['a.>', 'b.>'], features: serverFeatures('2.10.7') });
    expect(config.filter_subjects).toEqual(['a.>', 'b.>']);
    expect(config.filter_subject).toBeUndefined();
  });
});

describe('nakDelay', () => {
  it('follows the backoff by delivery count and repeats the last value', () => {
    expect([1, 2, 3, 4, 9].map((n) => nakDelay([100, 500, 2000], n))).toEqual([100, 500, 2000, 2000, 2000]);
  });

  it('retries at once without backoff', () => {
    expect(nakDelay([], 3)).toBe(0);
  });
});
