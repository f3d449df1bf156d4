import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Parser } from '@asyncapi/parser';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { competitionBody } from '../testing/fixtures.js';
import { request } from '../testing/http-client.js';
import { LiveClient } from '../testing/ws-client.js';
import { serverMessageSchemas } from './server-messages.js';

let bed: ApiTestBed;
let document: any;

beforeAll(async () => {
  bed = await startApiTestBed('api asyncapi');
  const response = await fetch(`${bed.baseUrl}/api/asyncapi.json`);
  expect(response.status).toBe(200);
  document = await response.json();
});
afterAll(async () => {
  await bed?.dispose();
});

describe('the AsyncAPI document of /ws', () => {
  it('is a valid AsyncAPI 3.0 document by the official parser, with no errors or warnings', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(document);
    // Severity 0 is an error, 1 a warning; hints (2, 3) are style suggestions.
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(parsed).toBeDefined();
    expect(parsed!.version()).toBe('3.0.0');
    const sent = parsed!
      .operations()
      .filterBySend()
      .map((o) => o.messages().all()[0]!.name());
    const received = parsed!
      .operations()
      .filterByReceive()
      .map((o) => o.messages().all()[0]!.name());
    expect(sent.sort()).toEqual(['error', 'event', 'pong', 'snapshot', 'subscribed', 'unsubscribed', 'welcome']);
    expect(received.sort()).toEqual(['ping', 'subscribe', 'unsubscribe']);
    // The check can fail: the same document with an AsyncAPI 2 verb in an operation is refused.
    const broken = structuredClone(document);
    broken.operations.sendWelcome.action = 'publish';
    expect((await new Parser().parse(broken)).diagnostics.filter((d) => d.severity === 0).length).toBeGreaterThan(0);
    expect(document.servers.api).toMatchObject({ host: new URL(bed.baseUrl).host, protocol: 'ws', pathname: '/ws' });
  });

  it('describes the messages the server really sends', async () => {
    const client = await LiveClient.connect(bed.wsUrl);
    try {
      client.send({
        op: 'subscribe',
        subscription: 'c',
        types: ['CompetitionCreated'],
        fromSequence: 1,
        snapshot: true,
        filters: { competitionId: 'described' },
      });
      const response = await request(bed.baseUrl, 'POST', '/api/v1/admin/competitions', {
        body: competitionBody('described'),
        headers: { 'x-api-key': bed.adminKey },
      });
      expect(response.status).toBe(202);
      client.send({ op: 'ping', id: 7 });
      const received = [client.welcome];
      while (!received.some((m) => m.op === 'event') || !received.some((m) => m.op === 'pong')) received.push(await client.next());
      client.send({ op: 'unsubscribe' });
      client.send({ op: 'nonsense' });
      received.push(await client.next(), await client.next());
      expect(received.map((m) => m.op).sort()).toEqual(['error', 'event', 'pong', 'snapshot', 'subscribed', 'unsubscribed', 'welcome']);
      for (const message of received) {
        const schema = serverMessageSchemas[message.op as keyof typeof serverMessageSchemas];
        expect(schema.safeParse(message).error?.issues ?? []).toEqual([]);
        // The schema the document publishes is the one the message was checked against.
        expect(document.components.messages[message.op].payload.properties.op).toEqual({ type: 'string', const: message.op });
      }
    } finally {
      await client.close();
    }
  });
});
