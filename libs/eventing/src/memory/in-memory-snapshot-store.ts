import type { Snapshot, SnapshotStore } from '../snapshots.js';

/** Snapshots in memory for fast tests; kept as JSON text, so what comes back went through the same serialisation as in KV. */
export class InMemorySnapshotStore implements SnapshotStore {
  private readonly saved = new Map<string, string>();

  async load(key: string): Promise<Snapshot | undefined> {
    const text = this.saved.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as Snapshot);
  }

  async save(key: string, snapshot: Snapshot): Promise<void> {
    this.saved.set(key, JSON.stringify(snapshot));
  }

  delete(key: string): void {
    this.saved.delete(key);
  }
}
