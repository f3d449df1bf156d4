import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { episodeHeartbeatKey, episodeHeartbeatSchema, type EpisodeHeartbeat } from '#contracts';

/** Live state an evaluator keeps per running episode; undefined when there is none. */
export interface HeartbeatReader {
  read(evaluationId: string, slot: number): Promise<EpisodeHeartbeat | undefined>;
}

/**
 * Reads the activity KV bucket (`topology.activityBucket`) the evaluators write. The bucket is theirs: a bucket not
 * created yet, a key never written or deleted, or a value that is not a heartbeat all mean "no heartbeat", not an
 * error. Any other failure (NATS unreachable) is thrown.
 */
export class KvHeartbeatReader implements HeartbeatReader {
  private bucket: Promise<KV> | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly bucketName: string,
  ) {}

  async read(evaluationId: string, slot: number): Promise<EpisodeHeartbeat | undefined> {
    // Binding checks nothing on the server; a missing bucket shows on the first get.
    this.bucket ??= new Kvm(this.js).open(this.bucketName);
    let entry;
    try {
      entry = await (await this.bucket).get(episodeHeartbeatKey(evaluationId, slot));
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
      throw error;
    }
    if (!entry || entry.operation !== 'PUT') return undefined;
    let value: unknown;
    try {
      value = entry.json();
    } catch {
      return undefined;
    }
    const parsed = episodeHeartbeatSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  }
}
