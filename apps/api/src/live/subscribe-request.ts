import { z } from 'zod';
import { eventTypes, type EventType } from '#contracts';

const known = new Set<string>(eventTypes());

const filterValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const subscribeSchema = z.strictObject({
  op: z.literal('subscribe'),
  types: z
    .array(z.string())
    .min(1)
    .check((ctx) => {
      const unknown = ctx.value.filter((t) => !known.has(t));
      if (unknown.length > 0) ctx.issues.push({ code: 'custom', input: ctx.value, message: `unknown event types: ${unknown.join(', ')}` });
    }),
  filters: z.record(z.string(), filterValue).default({}),
  fromSequence: z.int().min(1).optional(),
});

const unsubscribeSchema = z.strictObject({ op: z.literal('unsubscribe') });

export type SubscribeRequest = Omit<z.infer<typeof subscribeSchema>, 'types'> & { types: EventType[] };
export type ClientMessage = SubscribeRequest | z.infer<typeof unsubscribeSchema>;

/** A client message that is not JSON, not a known operation, or names something that does not exist. */
export class BadClientMessage extends Error {
  override readonly name = 'BadClientMessage';
}

const messageSchema = z.discriminatedUnion('op', [subscribeSchema, unsubscribeSchema]);

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
