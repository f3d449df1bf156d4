import { z } from 'zod';
import { eventTypes, type EventType } from '#contracts';

const known = new Set<string>(eventTypes());

const filterValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A client's name for one of its subscriptions; a subscribe without one uses (and replaces) "default". */
const subscriptionName = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, '1-64 of A-Z, a-z, 0-9, "_", ".", ":" and "-"');
export const DEFAULT_SUBSCRIPTION = 'default';

const subscribeSchema = z.strictObject({
  op: z.literal('subscribe'),
  subscription: subscriptionName.default(DEFAULT_SUBSCRIPTION),
  types: z
    .array(z.string())
    .min(1)
    .check((ctx) => {
      const unknown = ctx.value.filter((t) => !known.has(t));
      if (unknown.length > 0) ctx.issues.push({ code: 'custom', input: ctx.value, message: `unknown event types: ${unknown.join(', ')}` });
    }),
  filters: z.record(z.string(), filterValue).default({}),
  fromSequence: z.int().min(1).optional(),
  /** Send the current state the filters name (read models) first, then every event after it. */
  snapshot: z.boolean().default(false),
});

/** Without a subscription name: every subscription of the socket. */
const unsubscribeSchema = z.strictObject({ op: z.literal('unsubscribe'), subscription: subscriptionName.optional() });

/** An application-level ping; `id` is echoed in the pong. */
const pingSchema = z.strictObject({ op: z.literal('ping'), id: z.union([z.string().max(64), z.int()]).optional() });

export type SubscribeRequest = Omit<z.infer<typeof subscribeSchema>, 'types'> & { types: EventType[] };
export type ClientMessage = SubscribeRequest | z.infer<typeof unsubscribeSchema> | z.infer<typeof pingSchema>;

/** A client message that is not JSON, not a known operation, or names something that does not exist. */
export class BadClientMessage extends Error {
  override readonly name = 'BadClientMessage';
}

const messageSchema = z.discriminatedUnion('op', [subscribeSchema, unsubscribeSchema, pingSchema]);

export const parseClientMessage = (raw: string): ClientMessage => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new BadClientMessage('message is not JSON');
  }
  const parsed = messageSchema.safeParse(json);
  if (!parsed.success) {
    throw new BadClientMessage(parsed.error.issues.map((i) => `${i.path.join('.') || 'op'}: ${i.message}`).join('; '));
  }
  return parsed.data as ClientMessage;
};

/** The client messages' schemas, by name, for the AsyncAPI document. */
export const clientMessageSchemas = { subscribe: subscribeSchema, unsubscribe: unsubscribeSchema, ping: pingSchema } as const;
