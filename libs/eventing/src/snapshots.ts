import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { KV } from '@nats-io/kv';
import { EventStoreError } from './errors.js';

/** A process manager's state as of one stream position, for a fast start: fold only the tail after `sequence`. */
export interface Snapshot {
  /** The state's shape version; a reader with another version ignores the snapshot and folds the log. */
  stateVersion: number;
  /** The last stream sequence the state covers. */
  sequence: number;
  /** The event id at `sequence`: a stream recreated since (same sequence, another event) invalidates the snapshot. */
  eventId: string;
  /** Plain JSON: the caller serialises its Maps and Sets explicitly. */
  state: unknown;
}

/** Where snapshots are kept. Nothing in it is history: deleting a snapshot only makes the next start fold the whole log. */
export interface SnapshotStore {
  /** The latest snapshot under `key`, or undefined; throws SnapshotError for one that is there but unreadable. */
  load(key: string): Promise<Snapshot | undefined>;
  /** Serialises `snapshot.state` before it returns (the caller may change its state while the write completes). */
  save(key: string, snapshot: Snapshot): Promise<void>;
}

export class SnapshotError extends EventStoreError {
  override readonly name = 'SnapshotError';
}

/** Under NATS's default 1 MB max payload, with room for headers. */
const CHUNK_BYTES = 512 * 1024;

interface Manifest {
  stateVersion: number;
  sequence: number;
  eventId: string;
  /** Chunks live under `<key>.<generation>.<i>`: a new snapshot never overwrites the chunks the manifest points to. */
  generation: string;
  chunks: number;
  sha256: string;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Snapshots in a JetStream KV bucket (`Topology.snapshotBucket`). A state can outgrow one message, so the gzipped
 * JSON is split into chunks written first, under a fresh generation, and the manifest under `key` last: a reader sees
 * the old snapshot or the new one whole, never a mix, and a checksum catches anything else.
 */
export class KvSnapshotStore implements SnapshotStore {
  constructor(private readonly kv: KV) {}

  async load(key: string): Promise<Snapshot | undefined> {
    const entry = await this.kv.get(key).catch((cause: unknown) => {
      throw new SnapshotError(`cannot read snapshot ${key}: ${(cause as Error).message}`, { cause });
    });
    if (!entry || entry.operation !== 'PUT') return undefined;
    try {
      const manifest = entry.json<Manifest>();
      const parts: Uint8Array[] = [];
      for (let i = 0; i < manifest.chunks; i++) {
        const chunk = await this.kv.get(`${key}.${manifest.generation}.${i}`);
        if (!chunk || chunk.operation !== 'PUT') throw new Error(`chunk ${i} of ${manifest.chunks} is missing`);
        parts.push(chunk.value);
      }
      const zipped = Buffer.concat(parts);
      if (sha256(zipped) !== manifest.sha256) throw new Error('checksum mismatch');
      const { stateVersion, sequence, eventId } = manifest;
      return { stateVersion, sequence, eventId, state: JSON.parse(gunzipSync(zipped).toString('utf8')) as unknown };
    } catch (cause) {
      throw new SnapshotError(`snapshot ${key} is unreadable: ${(cause as Error).message}`, { cause });
    }
  }

  save(key: string, { state, ...meta }: Snapshot): Promise<void> {
    let zipped: Buffer;
    try {
      zipped = gzipSync(JSON.stringify(state));
    } catch (cause) {
      return Promise.reject(new SnapshotError(`cannot serialise snapshot ${key}: ${(cause as Error).message}`, { cause }));
    }
    return this.write(key, meta, zipped);
  }

  private async write(key: string, meta: Omit<Snapshot, 'state'>, zipped: Buffer): Promise<void> {
    try {
      const previous = await this.kv.get(key);
      const generation = `${meta.sequence}-${Date.now().toString(36)}`;
      const chunks = Math.max(1, Math.ceil(zipped.length / CHUNK_BYTES));
      for (let i = 0; i < chunks; i++) await this.kv.put(`${key}.${generation}.${i}`, zipped.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES));
      await this.kv.put(key, JSON.stringify({ ...meta, generation, chunks, sha256: sha256(zipped) } satisfies Manifest));
      if (previous?.operation === 'PUT') await this.dropChunks(key, previous.json<Manifest>());
    } catch (cause) {
      throw new SnapshotError(`cannot write snapshot ${key}: ${(cause as Error).message}`, { cause });
    }
  }

  /** The previous generation's chunks, once nothing points to them. */
  private async dropChunks(key: string, manifest: Manifest): Promise<void> {
    for (let i = 0; i < manifest.chunks; i++) await this.kv.purge(`${key}.${manifest.generation}.${i}`);
  }
}
