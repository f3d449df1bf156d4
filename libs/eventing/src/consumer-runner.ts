import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type MsgHdrs } from '@nats-io/transport-node';
import { EventValidationError, type RecordedEvent, type Topology, type ValidationIssue } from '#contracts';
import { eventingMetrics, withLogContext } from '#platform';
import { messageLogContext, observeConsumer } from './consumer-observability.js';
import { ConsumerHealth } from './consumer-health.js';
import { DeadLetters } from './dead-letters.js';
import { EventStoreError, RetryableError } from './errors.js';
import { requireFeature, type ServerFeatures } from './features.js';
import { decodeStored } from './recorded.js';

/** What a handler may know and do about the message it is handling. */
export interface MessageContext {
  readonly subject: string;
  readonly streamSequence: number;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  readonly headers: MsgHdrs | undefined;
  /** Resets the ack timer: call it periodically from handlers that run longer than ack_wait. */
  working(): void;
}

/** Turns a message into what the handler receives. Throwing makes it a poison message: dead-lettered, terminated. */
export type Decode<T> = (msg: JsMsg) => T;

export interface ConsumerLogger {
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface ConsumerOptions<T> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  durable: string;
  /** Defaults to the events stream. */
  stream?: string;
  /** Several subjects need a 2.10+ server: pass `features` so that is checked rather than silently wrong. */
  filterSubject: string | string[];
  /** The connected server's features; without them the runner sticks to what 2.9 understands. */
  features?: ServerFeatures;
  maxDeliver: number;
  /** Nak delay per delivery (the last value repeats). */
  backoffMs: number[];
  ackWaitMs: number;
  /** Messages pulled ahead of the handler; each one's ack timer runs while it waits. */
  prefetch?: number;
  decode: Decode<T>;
  handler: (item: T, ctx: MessageContext) => Promise<void>;
  deadLetters?: DeadLetters;
  logger?: ConsumerLogger;
  /** Where the loop reports its state (readiness); a private one when omitted. */
  health?: ConsumerHealth;
  /** Delay before the loop is recreated after it ended or its durable vanished (doubling up to 30 s). */
  recoverAfterMs?: number;
}

export interface RunningConsumer {
  readonly durable: string;
  /**
   * Stops pulling, finishes the message in hand, hands back the ones not started (nak), then resolves.
   * A handed-back message counts one delivery: one on its last attempt is dead-lettered by the next runner, not lost.
   */
  stop(): Promise<void>;
  /** Settles when the consumer stops (stop() was called). A loop that ends otherwise is recreated, never left stalled. */
  readonly done: Promise<void>;
}

/** The decoder of the events stream: validated, upcast, typed. */
export const decodeEventMessage: Decode<RecordedEvent> = (msg) => decodeStored(msg);

/** A decoder for plain JSON work items; `parse` validates (a zod schema's `.parse`, for instance). */
export const jsonDecoder =
  <T>(parse: (value: unknown) => T): Decode<T> =>
  (msg) =>
    parse(msg.json());

/** Delay before the next try of a message that failed on delivery `deliveryCount`. */
export const nakDelay = (backoffMs: number[], deliveryCount: number): number =>
  backoffMs.length === 0 ? 0 : backoffMs[Math.min(deliveryCount, backoffMs.length) - 1]!;

const issuesOf = (err: unknown): ValidationIssue[] => (err instanceof EventValidationError ? err.issues : []);

const silentLogger: ConsumerLogger = { warn: () => undefined, error: () => undefined };

/**
 * The durable consumer's configuration. Backoff is applied by nak delays rather than the server's `backoff`,
 * which would replace ack_wait on every delivery and redeliver long handlers early.
 * The server redelivers without limit (max_deliver -1) and the runner counts attempts: with the server's limit at
 * maxDeliver, a last delivery that ended without ack or term (its dead letter failed, the process died, ack_wait ran
 * out, stop() handed it back) was never delivered again, so the message was neither handled nor dead-lettered.
 */
export const consumerConfig = (
  options: Pick<ConsumerOptions<unknown>, 'durable' | 'filterSubject' | 'features' | 'ackWaitMs' | 'prefetch'>,
): Partial<ConsumerConfig> => {
  const subjects = Array.isArray(options.filterSubject) ? options.filterSubject : [options.filterSubject];
  if (subjects.length > 1) {
    if (!options.features) throw new EventStoreError(`consumer ${options.durable}: several filter subjects need the server's features to check`);
    requireFeature(options.features, 'multipleFilterSubjects', `consumer ${options.durable} on ${subjects.join(', ')}`);
  }
  return {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(options.ackWaitMs),
    max_deliver: -1,
    max_ack_pending: Math.max(1000, options.prefetch ?? 10),
    ...(subjects.length > 1 ? { filter_subjects: subjects } : { filter_subject: subjects[0]! }),
  };
};

const drift = (wanted: Partial<ConsumerConfig>, current: ConsumerConfig): boolean =>
  (Object.keys(wanted) as (keyof ConsumerConfig)[]).some((k) => JSON.stringify(wanted[k]) !== JSON.stringify(current[k]));

/** Creates the durable consumer, or updates it when our configuration changed. */
export const ensureConsumer = async (jsm: JetStreamManager, stream: string, config: Partial<ConsumerConfig>): Promise<ConsumerInfo> => {
  const durable = config.durable_name!;
  try {
    const current = await jsm.consumers.info(stream, durable);
    if (!drift(config, current.config)) return current;
    const { durable_name: _name, ack_policy: _ack, deliver_policy: _deliver, ...updatable } = config;
    return await jsm.consumers.update(stream, durable, updatable);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return jsm.consumers.add(stream, config);
    throw new EventStoreError(`cannot create or update consumer ${durable} on ${stream}: ${(err as Error).message}`, { cause: err });
  }
};

/**
 * Runs a durable pull consumer. For each message, in order:
 * - it does not decode → dead letter + term;
 * - it comes back after maxDeliver deliveries (the last one did not finish) → dead letter + term, handler not run;
 * - the handler resolves → ack;
 * - the handler throws (RetryableError or anything else) → nak with backoff, never ack;
 * - it failed on the last allowed delivery → dead letter with the reason + term.
 * A dead letter that cannot be recorded naks the message: it comes back and is dead-lettered then, never lost.
 */
export async function runConsumer(options: Omit<ConsumerOptions<RecordedEvent>, 'decode'> & { decode?: undefined }): Promise<RunningConsumer>;
export async function runConsumer<T>(options: ConsumerOptions<T>): Promise<RunningConsumer>;
export async function runConsumer<T>(options: Omit<ConsumerOptions<T>, 'decode'> & { decode?: Decode<T> }): Promise<RunningConsumer> {
  const { js, jsm, topology, durable, maxDeliver, backoffMs, handler } = options;
  const decode = (options.decode ?? decodeEventMessage) as Decode<T>;
  const stream = options.stream ?? topology.eventsStream;
  const logger = options.logger ?? silentLogger;
  const deadLetters = options.deadLetters ?? new DeadLetters(js, jsm, topology);
  const prefetch = options.prefetch ?? 10;
  // Why a message whose dead letter failed was given up on, for when it comes back (in this process).
  const unrecorded = new Map<number, { reason: string; issues: ValidationIssue[] }>();

  let stopping = false;
  const health = options.health ?? new ConsumerHealth();
  const recoverAfterMs = options.recoverAfterMs ?? 1_000;

  /** Creates the durable if it is missing (it may have been deleted) and starts pulling from it. */
  const open = async (): Promise<ConsumerMessages> => {
    await ensureConsumer(jsm, stream, consumerConfig(options));
    const consumer = await js.consumers.get(stream, durable);
    // Aborting on a deleted durable ends the loop, which recreates it: left to itself the client waits for
    // someone else to recreate it, a silent stall.
    const messages = await consumer.consume({ max_messages: prefetch, abort_on_missing_resource: true });
    void watch(messages);
    health.report(durable, 'running');
    return messages;
  };

  /** The server's notifications about the loop: a vanished durable or missed heartbeats are reported and logged. */
  const watch = async (messages: ConsumerMessages): Promise<void> => {
    for await (const status of messages.status()) {
      if (status.type === 'consumer_deleted' || status.type === 'consumer_not_found' || status.type === 'stream_not_found') {
        logger.warn(`${durable}: ${status.type.replaceAll('_', ' ')}; recreating it`);
        health.report(durable, 'recovering', status.type);
      } else if (status.type === 'heartbeats_missed') {
        logger.warn(`${durable}: missed ${status.count} heartbeats from the server; pulling again`);
        health.report(durable, 'degraded', `missed ${status.count} heartbeats`);
      } else if (status.type === 'next' || status.type === 'heartbeat') {
        if (!stopping) health.report(durable, 'running');
      }
    }
  };

  let messages = await open();
  const unobserve = observeConsumer(jsm, topology, stream, durable);

  const giveUp = async (msg: JsMsg, reason: string, issues: ValidationIssue[]): Promise<void> => {
    try {
      await deadLetters.record({ consumer: durable, streamSequence: msg.seq, subject: msg.subject, reason, issues, raw: msg.data });
    } catch (err) {
      logger.error(`${durable}: cannot dead-letter #${msg.seq}, will retry it`, err);
      unrecorded.set(msg.seq, { reason, issues });
      msg.nak(nakDelay(backoffMs, msg.info.deliveryCount));
      return;
    }
    unrecorded.delete(msg.seq);
    eventingMetrics.handled.inc({ durable, outcome: 'dead_letter' });
    logger.warn(`${durable}: dead-lettered #${msg.seq} (${msg.subject}): ${reason}`);
    // Before 2.10.4 a `+TERM <reason>` is not understood and the message comes back: the reason lives in the DLQ.
    if (options.features?.termWithReason) msg.term(reason);
    else msg.term();
  };

  const processMessage = async (msg: JsMsg): Promise<void> => {
    let item: T;
    try {
      item = decode(msg);
    } catch (err) {
      return giveUp(msg, `poison message: ${(err as Error).message}`, issuesOf(err));
    }
    const attempt = msg.info.deliveryCount;
    if (attempt > maxDeliver) {
      const { reason, issues } = unrecorded.get(msg.seq) ?? {
        reason: `delivery ${attempt} after ${maxDeliver} attempts: the last one did not finish (process stopped or died, ack_wait ran out, or its dead letter failed)`,
        issues: [],
      };
      return giveUp(msg, reason, issues);
    }
    const ctx: MessageContext = {
      subject: msg.subject,
      streamSequence: msg.seq,
      deliveryCount: attempt,
      headers: msg.headers,
      working: () => msg.working(),
    };
    const timer = eventingMetrics.handleSeconds.startTimer({ durable });
    try {
      await withLogContext(messageLogContext(durable, msg, item), () => handler(item, ctx));
    } catch (err) {
      timer();
      if (attempt >= maxDeliver) return giveUp(msg, `failed on delivery ${attempt} of ${maxDeliver}: ${(err as Error).message}`, issuesOf(err));
      if (!(err instanceof RetryableError)) logger.error(`${durable}: unexpected failure on #${msg.seq} (delivery ${attempt})`, err);
      eventingMetrics.handled.inc({ durable, outcome: 'retry' });
      msg.nak(nakDelay(backoffMs, attempt));
      return;
    }
    timer();
    eventingMetrics.handled.inc({ durable, outcome: 'ack' });
    msg.ack();
  };

  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const drain = async (current: ConsumerMessages): Promise<void> => {
    for await (const msg of current) {
      if (stopping) msg.nak();
      else {
        await processMessage(msg);
        health.report(durable, 'running');
      }
    }
  };

  // The loop ends only when stopped: a loop that ends or fails otherwise is logged, reported and recreated.
  const done = (async () => {
    for (let failures = 0; ;) {
      let reason: string;
      try {
        await drain(messages);
        reason = 'the consume loop ended';
      } catch (err) {
        reason = `the consume loop failed: ${(err as Error).message}`;
      }
      if (stopping) break;
      health.report(durable, 'recovering', reason);
      for (;;) {
        const delay = Math.min(30_000, recoverAfterMs * 2 ** Math.min(failures++, 10));
        logger.warn(`${durable}: ${reason}; recreating it in ${delay} ms`);
        await pause(delay);
        if (stopping) break;
        try {
          messages = await open();
          failures = 0;
          break;
        } catch (err) {
          reason = `cannot recreate it: ${(err as Error).message}`;
          health.report(durable, 'recovering', reason);
        }
      }
      if (stopping) break;
    }
    unobserve();
    health.report(durable, 'stopped');
  })();
  done.catch((err) => logger.error(`${durable}: consumer stopped`, err));

  return {
    durable,
    done,
    stop: async () => {
      stopping = true;
      wake?.();
      await Promise.all([messages.close(), done]);
    },
  };
}
