import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { topology } from '#contracts';
import { StartupError } from '#platform';
import { testNamespace, testServices } from '#testing';
import { connect, type JetStreamConnection } from '../connection.js';
import { applyTopology, deleteTopology, verifyTopology } from '../topology.js';
import { EventingModule } from './eventing.module.js';

let owner: JetStreamConnection;
let natsUrl: string;
const namespace = testNamespace('topology verify');
const t = topology(namespace);

/** An app's EventingModule started on the namespace: the API, scheduler and chain monitor start this way. */
const startApp = async (replicas: number, waitMs = 0) => {
  const moduleRef = await Test.createTestingModule({
    imports: [EventingModule.forRoot({ natsUrl, namespace, app: 'verifier', version: '0', replicas, waitMs })],
  }).compile();
  await moduleRef.close();
};

beforeAll(async () => {
  natsUrl = (await testServices()).natsUrl;
  owner = await connect(natsUrl, 'topology-owner');
});
afterAll(async () => {
  await deleteTopology(owner.jsm, t);
  await owner.close();
});

describe('only the topology owner changes streams', () => {
  it('refuses to start an app before the owner created the streams, naming them and who creates them', async () => {
    const start = startApp(1);
    await expect(start).rejects.toBeInstanceOf(StartupError);
    await expect(start).rejects.toThrow(
      `stream ${t.eventsStream} does not exist; stream ${t.workStream} does not exist; stream ${t.deadLetterStream} does not exist`,
    );
    await expect(start).rejects.toThrow(/The projector applies the topology/);
    await expect(owner.jsm.streams.info(t.eventsStream)).rejects.toThrow(/stream not found/);
  });

  it('waits (PROJECTOR_WAIT_MS) for the owner to create the streams, then starts', async () => {
    const start = startApp(1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await applyTopology(owner.jsm, t, { replicas: 1 });
    await expect(start).resolves.toBeUndefined();
    await deleteTopology(owner.jsm, t);
  });

  it('gives up waiting on streams that differ at once, without waiting out PROJECTOR_WAIT_MS', async () => {
    await applyTopology(owner.jsm, t, { replicas: 1 });
    const began = Date.now();
    await expect(startApp(3, 20_000)).rejects.toThrow(/num_replicas 1, the topology wants 3 \(KINITRO_STREAM_REPLICAS\)/);
    expect(Date.now() - began).toBeLessThan(5_000);
    await deleteTopology(owner.jsm, t);
  });

  it('starts an app whose topology matches what the owner applied, and changes nothing', async () => {
    await applyTopology(owner.jsm, t, { replicas: 1 });
    const before = await owner.jsm.streams.info(t.eventsStream);
    await startApp(1);
    expect((await owner.jsm.streams.info(t.eventsStream)).config).toEqual(before.config);
  });

  it('refuses an app that expects other replicas, saying what differs and which variable, and leaves the stream alone', async () => {
    await expect(verifyTopology(owner.jsm, t, { replicas: 3 })).rejects.toThrow(
      `stream ${t.eventsStream} has num_replicas 1, the topology wants 3 (KINITRO_STREAM_REPLICAS)`,
    );
    await expect(startApp(3)).rejects.toBeInstanceOf(StartupError);
    expect((await owner.jsm.streams.info(t.eventsStream)).config.num_replicas).toBe(1);
  });

  it('refuses to start on a stream someone changed, instead of changing it back', async () => {
    const current = (await owner.jsm.streams.info(t.deadLetterStream)).config;
    await owner.jsm.streams.update(t.deadLetterStream, { ...current, duplicate_window: 10_000_000_000 });
    await expect(startApp(1)).rejects.toThrow(`stream ${t.deadLetterStream} has duplicate_window 10000000000, the topology wants 120000000000`);
    expect((await owner.jsm.streams.info(t.deadLetterStream)).config.duplicate_window).toBe(10_000_000_000);
    await applyTopology(owner.jsm, t, { replicas: 1 });
    await startApp(1);
  });
});
