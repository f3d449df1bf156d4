import { z } from 'zod';
import { envelopeSchema } from '#contracts';

/**
 * What the server sends on /ws: one zod schema per message, so the AsyncAPI document (asyncapi.ts) and the tests
 * that check real messages against it read the same definition.
 */
const subscription = z.string().describe('The name the client gave the subscription ("default" when it gave none)');
const filters = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const serverMessageSchemas = {
  welcome: z.strictObject({
    op: z.literal('welcome'),
    server: z.string(),
    version: z.string(),
    protocol: z.int().describe('The /ws protocol version (2: welcome, named subscriptions, snapshots, ping)'),
    limits: z.strictObject({
      maxPayloadBytes: z.int(),
      maxSubscriptionsPerSocket: z.int(),
      maxActiveSubscriptions: z.int(),
      pingIntervalMs: z.int(),
      idleTimeoutMs: z.int(),
    }),
  }),
  subscribed: z.strictObject({ op: z.literal('subscribed'), subscription, types: z.array(z.string()), filters, fromSequence: z.int().min(1) }),
  snapshot: z.strictObject({
    op: z.literal('snapshot'),
    subscription,
    projectedSequence: z.int().min(0).describe('The state is projected up to this stream sequence; events follow from the next'),
    state: z.record(z.string(), z.unknown()).describe('competition, submission + jobs, job + jobStatus, evaluation + episodes: what the filters name'),
  }),
  event: z.strictObject({
    op: z.literal('event'),
    subscription,
    streamSequence: z.int().min(1),
    event: envelopeSchema.extend({ streamSequence: z.int().min(1), recordedAt: z.string() }),
  }),
  unsubscribed: z.strictObject({ op: z.literal('unsubscribed'), subscription: subscription.nullable().describe('null: every subscription of the socket') }),
  pong: z.strictObject({ op: z.literal('pong'), id: z.union([z.string(), z.int()]).optional(), at: z.iso.datetime() }),
  error: z.strictObject({ op: z.literal('error'), subscription: subscription.optional(), message: z.string() }),
} as const;

export type ServerMessage = { [K in keyof typeof serverMessageSchemas]: z.infer<(typeof serverMessageSchemas)[K]> }[keyof typeof serverMessageSchemas];
