import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/** Namespace for every deterministic id Kinitro derives (UUIDv5). Never change it: ids in the log depend on it. */
export const KINITRO_NAMESPACE = '6f1c2a4e-8d1b-5b7a-9c3e-2f4d6a8b0c1e';

/** A fresh, time-ordered event id (UUIDv7). */
export const newEventId = (): string => uuidv7();

/**
 * The id of an event caused by another one. Reactors use it so that a redelivered cause produces
 * the same output id, which JetStream then drops as a duplicate (`Nats-Msg-Id`).
 */
export const deriveEventId = (causationId: string, outputType: string, discriminator = ''): string =>
  uuidv5(`${causationId}|${outputType}|${discriminator}`, KINITRO_NAMESPACE);

/** A stable id for a natural key, e.g. (jobId, validator) → evaluationId. */
export const deriveId = (...parts: string[]): string => uuidv5(parts.join('|'), KINITRO_NAMESPACE);
