import { JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { episodeHeartbeatKey, episodeHeartbeatSchema, type EpisodeHeartbeat, type Topology } from '#contracts';

/** A heartbeat older than this is no sign of life; the bucket forgets it (NATS 2.9 has no per-message TTL). */
export const ACTIVITY_MAX_AGE_MS = 60 * 60 * 1000;

/** JetStream's "stream name already in use with a different configuration": another app made the bucket its way. */
const STREAM_NAME_IN_USE = 10058;

/**
 * The activity KV bucket (`topology.activityBucket`): the last heartbeat of every episode being run, under
 * `<evaluationId>.<slot>`. Live state, not history: one value per key, forgotten after an hour, deleted when the
 * episode ends.
 */
export class ActivityBoard {
  private constructor(private readonly kv: KV) {}

  /** Opens the bucket, creating it (history 1, max age 1 h) when it does not exist. */
  static async open(js: JetStreamClient, t: Topology, replicas: number): Promise<ActivityBoard> {
    const kvm = new Kvm(js);
    try {
      return new ActivityBoard(await kvm.create(t.activityBucket, { history: 1, ttl: ACTIVITY_MAX_AGE_MS, replicas }));
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === STREAM_NAME_IN_USE) return new ActivityBoard(await kvm.open(t.activityBucket));
      throw error;
    }
  }

  async beat(heartbeat: EpisodeHeartbeat): Promise<void> {
    const valid = episodeHeartbeatSchema.parse(heartbeat);
    await this.kv.put(episodeHeartbeatKey(valid.evaluationId, valid.slot), JSON.stringify(valid));
  }

  async clear(evaluationId: string, slot: number): Promise<void> {
    await this.kv.delete(episodeHeartbeatKey(evaluationId, slot));
  }
}
