import type { RecordedEvent } from '#contracts';

/**
 * An event as the public reads show it (/events, histories, the WebSocket feed). ApiKeyIssued events written before
 * verifiers moved to the private bucket carry the key's unsalted SHA-256; it is left out here, so no read of the
 * log hands out key material. The stored event is never rewritten.
 */
export const publicEvent = (event: RecordedEvent): RecordedEvent => {
  if (event.type !== 'ApiKeyIssued' || !('sha256' in event.data)) return event;
  const { sha256: _withheld, ...data } = event.data as Record<string, unknown>;
  return { ...event, data } as RecordedEvent;
};
