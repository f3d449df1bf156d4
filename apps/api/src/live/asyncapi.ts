import { z } from 'zod';
import { PLATFORM_VERSION } from '#platform';
import { serverMessageSchemas } from './server-messages.js';
import { clientMessageSchemas } from './subscribe-request.js';

/** A message's JSON schema as AsyncAPI's default schema format takes it (JSON Schema draft-07, no $schema). */
const jsonSchema = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const descriptions: Record<string, string> = {
  welcome: 'Sent once, first, on connect: who answers, the protocol version and the limits to keep to.',
  subscribed: 'A subscription is in place; every matching event from `fromSequence` on follows, once each, in stream order.',
  snapshot: 'The current state the filters name, sent before `subscribed` when the subscribe asked for it.',
  event: 'An event that matches a subscription, tagged with its name. Carries no key material.',
  unsubscribed: 'A subscription (or, with null, every one) has ended.',
  pong: 'The answer to a ping.',
  error: 'A message the server could not act on, or why it is closing the socket.',
  subscribe:
    'Start (or, with a name in use, replace) a named subscription: event types, equality filters on the envelope or top-level data fields, an optional sequence to resume from, an optional snapshot.',
  unsubscribe: 'End one named subscription, or every one without a name.',
  ping: 'An application-level ping; the server answers with a pong echoing `id`.',
};

const message = (name: string, schema: z.ZodType) => ({
  name,
  title: name,
  summary: descriptions[name],
  contentType: 'application/json',
  payload: jsonSchema(schema),
});

/**
 * The AsyncAPI 3.0 document of `/ws`, served at /api/asyncapi.json: the API is the application described, so what
 * it sends are `send` operations and what clients send are `receive` ones. `host` is the origin the document is
 * asked for on.
 */
export const asyncApiDocument = (host: string, secure: boolean) => {
  const all = { ...serverMessageSchemas, ...clientMessageSchemas } as Record<string, z.ZodType>;
  const messages = Object.fromEntries(Object.entries(all).map(([name, schema]) => [name, message(name, schema)]));
  const operation = (action: 'send' | 'receive', name: string) => ({
    action,
    channel: { $ref: '#/channels/live' },
    summary: descriptions[name],
    messages: [{ $ref: `#/channels/live/messages/${name}` }],
  });
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Kinitro live feed',
      version: PLATFORM_VERSION,
      description:
        'Events of the Kinitro event log as they are appended, with resume by stream sequence, named subscriptions, snapshots and ping (docs/api.md, "WebSocket"). JSON text frames; the server also pings at the WebSocket level and drops sockets that stay silent past `idleTimeoutMs`.',
    },
    defaultContentType: 'application/json',
    servers: { api: { host, protocol: secure ? 'wss' : 'ws', pathname: '/ws', description: 'The API itself' } },
    channels: {
      live: {
        address: '/ws',
        title: 'Live events',
        messages: Object.fromEntries(Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }])),
      },
    },
    operations: {
      ...Object.fromEntries(Object.keys(serverMessageSchemas).map((name) => [`send${name[0]!.toUpperCase()}${name.slice(1)}`, operation('send', name)])),
      ...Object.fromEntries(Object.keys(clientMessageSchemas).map((name) => [`receive${name[0]!.toUpperCase()}${name.slice(1)}`, operation('receive', name)])),
    },
    components: { messages },
  };
};
