/**
 * What a consumer loop is doing, for readiness and the log:
 * running (pulling), degraded (the server's heartbeats stopped: the client re-pulls), recovering (the durable was
 * deleted or the loop ended: it is being recreated), stopped (stop() was called).
 */
export type ConsumerState = 'running' | 'degraded' | 'recovering' | 'stopped';

export interface ConsumerStatus {
  readonly durable: string;
  readonly state: ConsumerState;
  /** When it entered this state (ISO-8601). */
  readonly since: string;
  /** Why it left `running`, while it is not. */
  readonly reason?: string;
  /** How many times the loop was recreated since the process started. */
  readonly recoveries: number;
}

/** The consumer loops of one process and their state: runConsumer reports into it, readiness reads it. */
export class ConsumerHealth {
  private readonly statuses = new Map<string, ConsumerStatus>();

  report(durable: string, state: ConsumerState, reason?: string): void {
    const previous = this.statuses.get(durable);
    if (previous?.state === state && previous.reason === reason) return;
    const recoveries = (previous?.recoveries ?? 0) + (previous?.state === 'recovering' && state === 'running' ? 1 : 0);
    this.statuses.set(durable, { durable, state, since: new Date().toISOString(), ...(state === 'running' ? {} : { reason }), recoveries });
  }

  list(): ConsumerStatus[] {
    return [...this.statuses.values()];
  }
}
