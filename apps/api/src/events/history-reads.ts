import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, apiSettings, type ApiConfig } from '../api-config.js';

/** Over a cap: 429 when this client runs too many history reads, 503 when the API as a whole does. */
export class TooManyHistoryReads extends HttpException {
  constructor(
    readonly scope: 'client' | 'total',
    limit: number,
  ) {
    super(
      scope === 'client'
        ? `this client already runs ${limit} history reads (EVENTS_MAX_REPLAYS_PER_CLIENT); retry when one ends`
        : `the API already runs ${limit} history reads (EVENTS_MAX_REPLAYS); retry shortly`,
      scope === 'client' ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

/**
 * Caps the reads of the log's history (an /events page, a WebSocket catch-up) per client and in total, so no
 * client, and no crowd, can keep NATS busy replaying the log. Refuses rather than queues: the caller retries.
 */
@Injectable()
export class HistoryReads {
  private readonly perClient = new Map<string, number>();
  private total = 0;
  private readonly limits: { client: number; total: number };

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    const { EVENTS_MAX_REPLAYS_PER_CLIENT, EVENTS_MAX_REPLAYS } = apiSettings(config);
    this.limits = { client: EVENTS_MAX_REPLAYS_PER_CLIENT, total: EVENTS_MAX_REPLAYS };
  }

  /** Runs `read` under both caps; throws TooManyHistoryReads (without running it) when either is reached. */
  async run<T>(client: string, read: () => Promise<T>): Promise<T> {
    const release = this.acquire(client);
    try {
      return await read();
    } finally {
      release();
    }
  }

  /** Takes a slot; the returned function gives it back (once). */
  acquire(client: string): () => void {
    const used = this.perClient.get(client) ?? 0;
    if (used >= this.limits.client) throw new TooManyHistoryReads('client', this.limits.client);
    if (this.total >= this.limits.total) throw new TooManyHistoryReads('total', this.limits.total);
    this.perClient.set(client, used + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    };
  }
}
