import { createHash } from 'node:crypto';
import type { RecordedEvent } from '#contracts';
import { sha256OfContentKey, type ObjectStore } from '#storage';

/** An object an event names: a `{ key, sha256, bytes }` reference, or a bare key (a field named `…Key`). */
export interface ReferencedObject {
  key: string;
  sha256?: string;
  bytes?: number;
  event: RecordedEvent;
  /** Where in the event's data, for the failure message. */
  path: string;
}

const isRef = (value: unknown): value is { key: string; sha256: string; bytes: number } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { key?: unknown }).key === 'string' &&
  typeof (value as { sha256?: unknown }).sha256 === 'string';

/**
 * Every object any event's data names, found by shape rather than by event type, so an event type that starts
 * referencing objects is checked without this function knowing it.
 */
export const referencedObjects = (events: RecordedEvent[]): ReferencedObject[] => {
  const found: ReferencedObject[] = [];
  const walk = (event: RecordedEvent, value: unknown, path: string): void => {
    if (isRef(value)) found.push({ key: value.key, sha256: value.sha256, bytes: value.bytes, event, path });
    if (Array.isArray(value)) value.forEach((v, i) => walk(event, v, `${path}[${i}]`));
    else if (typeof value === 'object' && value !== null)
      for (const [field, v] of Object.entries(value)) {
        if (field.endsWith('Key') && typeof v === 'string') found.push({ key: v, event, path: `${path}.${field}` });
        else walk(event, v, `${path}.${field}`);
      }
  };
  for (const event of events) walk(event, event.data, 'data');
  return found;
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * What any reader of the log relies on: every object an event names is in the bucket, as the event states it.
 * HEAD finds it, with the size and sha256 the event states; the bytes a GET returns hash to that (and to the key,
 * when it is content-addressed); it was last written no later than the event was recorded (S3's Last-Modified has
 * whole seconds: it can only be earlier than the true time). Returns what it checked, each problem found (none
 * when all hold) and the bytes by key.
 */
export const checkReferencedObjects = async (
  reader: ObjectStore,
  events: RecordedEvent[],
): Promise<{ checked: ReferencedObject[]; problems: string[]; bytes: Map<string, Uint8Array> }> => {
  const checked = referencedObjects(events);
  const problems: string[] = [];
  const bytes = new Map<string, Uint8Array>();
  for (const ref of checked) {
    const where = `${ref.event.type} #${ref.event.streamSequence} ${ref.path} (${ref.key})`;
    const head = await reader.head(ref.key);
    if (!head) {
      problems.push(`${where}: not in the bucket`);
      continue;
    }
    if (ref.bytes !== undefined && head.size !== ref.bytes) problems.push(`${where}: HEAD says ${head.size} bytes, the event ${ref.bytes}`);
    if (ref.sha256 !== undefined && head.sha256 !== ref.sha256) problems.push(`${where}: HEAD says sha256 ${head.sha256}, the event ${ref.sha256}`);
    if (head.lastModified.getTime() > Date.parse(ref.event.recordedAt))
      problems.push(`${where}: last written ${head.lastModified.toISOString()}, after the event (${ref.event.recordedAt})`);
    const body = bytes.get(ref.key) ?? (await reader.get(ref.key));
    bytes.set(ref.key, body);
    const hash = sha256(body);
    for (const [what, expected] of [
      ['the event', ref.sha256],
      ['the key', sha256OfContentKey(ref.key)],
    ] as const)
      if (expected !== undefined && hash !== expected) problems.push(`${where}: GET returns bytes hashing to ${hash}, ${what} says ${expected}`);
    if (ref.bytes !== undefined && body.length !== ref.bytes) problems.push(`${where}: GET returns ${body.length} bytes, the event says ${ref.bytes}`);
  }
  return { checked, problems, bytes };
};
