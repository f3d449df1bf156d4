import type { FeedEvent } from './job-board.js';

export type FeedState = 'connecting' | 'live' | 'reconnecting';

export interface LiveFeedOptions {
  types: readonly string[];
  /** Resume after this sequence (what the page last read); the feed replays what came after it. */
  after?: number;
  onEvent(event: FeedEvent): void;
  onState?(state: FeedState): void;
  /**
   * The server's protocol-2 snapshot, asked for on the first connect: `projectedSequence` is where the read models
   * stand and the feed goes on from the event after it, so a page that reads its state now (REST reads are at least
   * that recent) and applies the feed's events on top misses none. Reconnects resume by sequence instead.
   */
  onSnapshot?(snapshot: { projectedSequence: number; state: Record<string, unknown> }): void;
}

/**
 * The `/ws` live feed with resume by sequence: every reconnect subscribes from the last sequence seen + 1, so a
 * dropped socket loses no event. Returns a function that closes it.
 */
export const openLiveFeed = (options: LiveFeedOptions): (() => void) => {
  let last = options.after ?? 0;
  let socket: WebSocket | undefined;
  let closed = false;
  let retry = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    options.onState?.(retry === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    socket = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ op: 'subscribe', types: options.types, ...(last > 0 ? { fromSequence: last + 1 } : { snapshot: true }) }));
    };
    ws.onmessage = (message) => {
      const m = JSON.parse(String(message.data)) as { op: string; projectedSequence?: number; state?: Record<string, unknown> } & Partial<FeedEvent>;
      if (m.op === 'snapshot' && m.projectedSequence !== undefined) {
        last = Math.max(last, m.projectedSequence);
        options.onSnapshot?.({ projectedSequence: m.projectedSequence, state: m.state ?? {} });
      } else if (m.op === 'subscribed') {
        retry = 0;
        options.onState?.('live');
      } else if (m.op === 'event' && m.streamSequence !== undefined && m.event) {
        last = Math.max(last, m.streamSequence);
        options.onEvent({ streamSequence: m.streamSequence, event: m.event });
      }
    };
    ws.onclose = () => {
      if (closed) return;
      options.onState?.('reconnecting');
      timer = setTimeout(connect, Math.min(10_000, 500 * 2 ** retry++));
    };
  };
  connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    socket?.close();
  };
};
