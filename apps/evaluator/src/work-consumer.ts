import type { LoggerService } from '@nestjs/common';
import { episodeWorkItemSchema, evaluatorDurable, validatorWorkFilter, type Topology } from '#contracts';
import { jsonDecoder, runConsumer, type ConsumerHealth, type JetStreamConnection, type RunningConsumer } from '#eventing';
import type { EpisodeEvaluator } from './episode-evaluator.js';

export interface WorkDelivery {
  /** How long an item may go without a heartbeat (ctx.working()) before it is handed to another evaluator. */
  ackWaitMs: number;
  /** Nak delays of a retried item, per delivery (the last repeats). */
  backoffMs: number[];
  /**
   * Deliveries after which the runner dead-letters an item whose handling keeps failing for an unknown reason. Above
   * the evaluator's own attempt budget, so an infrastructure failure on the last attempt becomes EpisodeFailed rather
   * than a dead letter, and a delivery lost to a crash or a shutdown still leaves the budget its last try.
   */
  maxDeliver: number;
}

/**
 * Pulls the episode work items of one validator (`<ns>.work.episode.<ss58>.>`) one at a time, on the durable
 * `evaluator-<ss58>` every evaluator process of that validator shares (NATS hands each item to one of them), and hands
 * each to the EpisodeEvaluator. An item that does not parse as an
 * EpisodeWorkItem is a dead letter; the runner acks what the evaluator finished and naks what it threw.
 */
export const consumeWork = (
  connection: JetStreamConnection,
  t: Topology,
  validator: string,
  evaluator: EpisodeEvaluator,
  delivery: WorkDelivery,
  health: ConsumerHealth,
  logger: LoggerService,
): Promise<RunningConsumer> =>
  runConsumer({
    js: connection.js,
    jsm: connection.jsm,
    features: connection.features,
    topology: t,
    stream: t.workStream,
    durable: evaluatorDurable(validator),
    filterSubject: validatorWorkFilter(t, validator),
    ...delivery,
    // Episodes are long: an item pulled ahead would wait, its ack timer running, while another evaluator is idle.
    prefetch: 1,
    decode: jsonDecoder(episodeWorkItemSchema.parse),
    handler: (item, ctx) => evaluator.handle(item, ctx),
    health,
    logger: { warn: (m) => void logger.warn(m), error: (m, e) => void logger.error(m, e instanceof Error ? e.stack : e) },
  });
