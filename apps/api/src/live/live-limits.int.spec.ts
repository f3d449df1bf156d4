import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { LiveClient } from '../testing/ws-client.js';

let bed: ApiTestBed;

beforeAll(async () => {
  bed = await startApiTestBed('api live limits', {
    WS_MAX_PAYLOAD_BYTES: 4096,
    WS_ALLOWED_ORIGINS: ['https://dashboard.example'],
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: 3,
  });
});
afterAll(async () => {
  await bed?.dispose();
});

const open = (headers: Record<string, string> = {}) =>
  new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(bed.wsUrl, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

describe('/ws limits', () => {
  it('closes a socket that sends a frame above WS_MAX_PAYLOAD_BYTES (1009) without echoing it', async () => {
    const socket = await open();
    const echoed: string[] = [];
    socket.on('message', (data: Buffer) => echoed.push(data.toString().slice(0, 40)));
    const code = closed(socket);
    socket.send(JSON.stringify({ op: 'subscribe', types: ['CompetitionCreated'.padEnd(20 * 1024 * 1024, ' ')] }));
    expect(await code).toBe(1009);
    expect(echoed).toEqual([]);
  });

  it('lets a browser connect only from an allowed origin; clients without Origin connect', async () => {
    await expect(open({ origin: 'https://evil.example' })).rejects.toThrow('403');
    (await open({ origin: 'https://dashboard.example' })).close();
    (await open()).close();
  });

  it('closes a socket past WS_MAX_SUBSCRIPTIONS_PER_SOCKET subscriptions (1008), naming the limit', async () => {
    const client = await LiveClient.connect(bed.wsUrl);
    for (let i = 0; i < 3; i++) await client.subscribe({ types: ['CompetitionCreated'] });
    client.send({ op: 'subscribe', types: ['CompetitionCreated'] });
    expect(await client.next()).toMatchObject({ op: 'error', message: expect.stringContaining('WS_MAX_SUBSCRIPTIONS_PER_SOCKET') });
    await client.close();
  });
});
