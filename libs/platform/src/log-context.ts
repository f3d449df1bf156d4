import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while a message is handled carries: which message, and the ids that trace it. */
export interface LogContext {
  durable?: string;
  subject?: string;
  streamSequence?: number;
  eventId?: string;
  eventType?: string;
  correlationId?: string;
  causationId?: string;
  /** Work items carry no envelope: their message id and the ids they name. */
  messageId?: string;
  evaluationId?: string;
  episodeId?: string;
  jobId?: string;
}

const store = new AsyncLocalStorage<LogContext>();

/**
 * Runs `work` with `context` attached to every log line it writes, through every await: set once where a message is
 * handled (the consumer runner), so no handler passes ids to its logger by hand.
 */
export const withLogContext = <T>(context: LogContext, work: () => T): T => store.run({ ...store.getStore(), ...context }, work);

/** The ids of the message being handled here, if any. */
export const currentLogContext = (): LogContext | undefined => store.getStore();
