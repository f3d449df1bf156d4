import { UnsupportedFeatureError } from './errors.js';

/**
 * JetStream features newer than 2.9 that Kinitro may use. On older servers some of them are not refused but
 * silently ignored (a per-message TTL, `lastSubjectSequenceSubject`), so every use must be gated on these flags.
 */
export interface ServerFeatures {
  readonly version: string;
  /** `+TERM <reason>` (2.10.4+). Older servers do not recognise it, so the message is not terminated but redelivered. */
  readonly termWithReason: boolean;
  /** Consumers with `filter_subjects` (2.10+). */
  readonly multipleFilterSubjects: boolean;
  /** `allow_msg_ttl` and `Nats-TTL` (2.11+). */
  readonly perMessageTtl: boolean;
  /** Atomic batch publish (2.12+). */
  readonly atomicBatch: boolean;
  /** `expect.lastSubjectSequenceSubject` (2.12+). */
  readonly lastSubjectSequenceSubject: boolean;
}

export type FeatureName = Exclude<keyof ServerFeatures, 'version'>;

const parseVersion = (version: string): [number, number, number] => {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!match) throw new Error(`cannot parse NATS server version "${version}"`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
};

const atLeast = (v: [number, number, number], major: number, minor: number, patch = 0): boolean =>
  v[0] !== major ? v[0] > major : v[1] !== minor ? v[1] > minor : v[2] >= patch;

export const serverFeatures = (version: string): ServerFeatures => {
  const v = parseVersion(version);
  return {
    version,
    termWithReason: atLeast(v, 2, 10, 4),
    multipleFilterSubjects: atLeast(v, 2, 10),
    perMessageTtl: atLeast(v, 2, 11),
    atomicBatch: atLeast(v, 2, 12),
    lastSubjectSequenceSubject: atLeast(v, 2, 12),
  };
};

export const requireFeature = (features: ServerFeatures, feature: FeatureName, use: string): void => {
  if (!features[feature]) {
    throw new UnsupportedFeatureError(`${use} needs the server feature "${feature}", which NATS ${features.version} lacks`);
  }
};
