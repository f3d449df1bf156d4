import { describe, expect, it } from '@jest/globals';
import { UnsupportedFeatureError } from './errors.js';
import { requireFeature, serverFeatures } from './features.js';

describe('serverFeatures', () => {
  it('enables nothing beyond the 2.9 feature set on 2.9', () => {
    expect(serverFeatures('2.9.10')).toEqual({
      version: '2.9.10',
      termWithReason: false,
      multipleFilterSubjects: false,
      perMessageTtl: false,
      atomicBatch: false,
      lastSubjectSequenceSubject: false,
    });
  });

  it('enables each feature from the release that introduced it', () => {
    expect(serverFeatures('2.10.0')).toMatchObject({ multipleFilterSubjects: true, perMessageTtl: false, atomicBatch: false });
    expect(serverFeatures('2.11.3')).toMatchObject({
      multipleFilterSubjects: true,
      perMessageTtl: true,
      atomicBatch: false,
      lastSubjectSequenceSubject: false,
    });
    expect(serverFeatures('2.12.0-beta.1')).toMatchObject({ atomicBatch: true, lastSubjectSequenceSubject: true });
    expect(serverFeatures('v3.0.0')).toMatchObject({ multipleFilterSubjects: true, perMessageTtl: true, atomicBatch: true });
  });

  it('knows term reasons arrived in a patch release', () => {
    expect(serverFeatures('2.10.3').termWithReason).toBe(false);
    expect(serverFeatures('2.10.4').termWithReason).toBe(true);
    expect(serverFeatures('2.11.0').termWithReason).toBe(true);
  });

  it('does not mistake 2.9 for 2.10 by comparing strings', () => {
    expect(serverFeatures('2.9.99').multipleFilterSubjects).toBe(false);
    expect(serverFeatures('2.100.0').multipleFilterSubjects).toBe(true);
  });

  it('refuses a version it cannot read', () => {
    expect(() => serverFeatures('latest')).toThrow(/cannot parse/);
  });
});

describe('requireFeature', () => {
  it('names the feature and the server version when it is missing', () => {
    expect(() => requireFeature(serverFeatures('2.9.10'), 'perMessageTtl', 'publishing with a TTL')).toThrow(UnsupportedFeatureError);
    expect(() => requireFeature(serverFeatures('2.9.10'), 'perMessageTtl', 'publishing with a TTL')).toThrow(/perMessageTtl.*2\.9\.10/);
  });

  it('lets the call through when the server has it', () => {
    expect(() => requireFeature(serverFeatures('2.11.0'), 'perMessageTtl', 'publishing with a TTL')).not.toThrow();
  });
});
