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

/** Why a process's eventing is not ready: its NATS connection closed, or a consumer loop that is not running. */
export const eventingNotReady = (nc: { isClosed(): boolean }, health: ConsumerHealth, expected: readonly string[] = []): string[] => {
  const statuses = health.list();
  return [
    ...(nc.isClosed() ? ['the NATS connection is closed (NATS_URL)'] : []),
    ...expected.filter((durable) => !statuses.some((s) => s.durable === durable)).map((durable) => `consumer ${durable} has not started`),
    ...statuses.filter((s) => s.state !== 'running').map((s) => `consumer ${s.durable} is ${s.state}${s.reason ? `: ${s.reason}` : ''}`),
  ];
};
