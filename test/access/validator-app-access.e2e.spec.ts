import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kvm } from '@nats-io/kv';
import { createUser } from '@nats-io/nkeys';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topology } from '#contracts';
import { competitionDecider } from '#domain';
import { applyTopology, connect, handleCommand, JetStreamEventStore, type JetStreamConnection } from '#eventing';
import { eventually } from '#testing';
import { createValidator, type RunningValidator } from '../../apps/validator/src/create-validator.js';
import { natsAuthorization, renderAuthorization } from '../../libs/eventing/src/access/nats-authorization.js';
import { startNatsServer, type NatsServerProcess } from '../../libs/eventing/src/access/testing/nats-server-process.js';
import { validatorDurable } from '#contracts';
import { validatorInboxPrefix } from '../../libs/eventing/src/access/validator-permissions.js';

// //Bob runs the validator; //Alice is another validator listed in the same block.
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const t = topology('kinitro');
const ownerKey = createUser();
const bobKey = createUser();

let dir: string;
let server: NatsServerProcess;
let owner: JetStreamConnection;
let validator: RunningValidator | undefined;
const savedEnv = { ...process.env };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinitro-validator-access-'));
  const authorization = natsAuthorization({
    topology: t,
    netuids: [7],
    owners: [ownerKey.getPublicKey()],
    validators: [
      { hotkey: BOB, nkey: bobKey.getPublicKey() },
      { hotkey: ALICE, nkey: createUser().getPublicKey() },
    ],
  });
  server = await startNatsServer(renderAuthorization(authorization, 'validator app under its restricted user'));
  const ownerSeed = join(dir, 'owner.nk');
  await writeFile(ownerSeed, new TextDecoder().decode(ownerKey.getSeed()), { mode: 0o600 });
  owner = await connect(server.url, 'owner', { nkeySeedFile: ownerSeed });
  await applyTopology(owner.jsm, t, { replicas: 1 });
  await new Kvm(owner.js).create(t.activityBucket, { history: 1, ttl: 60 * 60 * 1000 });
  // What the operator sets: the app's connection reads them, as every app's does.
  process.env.NATS_NKEY_SEED_FILE = join(dir, 'bob.nk');
  process.env.NATS_INBOX_PREFIX = validatorInboxPrefix(BOB);
  await writeFile(process.env.NATS_NKEY_SEED_FILE, new TextDecoder().decode(bobKey.getSeed()), { mode: 0o600 });
}, 60_000);

afterAll(async () => {
  await validator?.close();
  process.env = savedEnv;
  await owner?.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the real validator app under its restricted NATS user', () => {
  it('verifies the topology, catches up, and follows the log through validator-<ss58>', async () => {
    const store = new JetStreamEventStore(owner.js, owner.jsm, { topology: t, producer: { app: 'api', version: 'test' } });
    const settings = {
      name: 'mt10',
      benchmarks: [{ name: 'control', provider: 'control' as const, tasks: ['reach'], episodesPerTask: 1, maxSteps: 10, timeoutSeconds: 60 }],
      weightShare: 1,
      maxRepoBytes: 50_000,
      submissionRateLimit: { count: 10, perSeconds: 3600 },
    };
    await handleCommand(store, competitionDecider, 'mt10', { type: 'CreateCompetition', competitionId: 'mt10', settings, by: 'test' });
    validator = await createValidator({
      NATS_URL: server.url,
      KINITRO_NAMESPACE: t.namespace,
      KINITRO_STREAM_REPLICAS: 1,
      LOG_LEVEL: 'error',
      PROJECTOR_WAIT_MS: 0,
      HEALTH_HOST: '127.0.0.1',
      VALIDATOR_MAX_EVALUATIONS: 1,
      hotkey: { uri: '//Bob' },
    });
    expect(validator.durable).toBe(validatorDurable(BOB));
    expect(validator.caughtUpTo).toBe(1);
    await handleCommand(store, competitionDecider, 'mt10', { type: 'ActivateCompetition', by: 'test' });
    const last = (await owner.jsm.streams.info(t.eventsStream)).state.last_seq;
    await eventually(
      'the validator durable to ack the activation',
      async () => (await owner.jsm.consumers.info(t.eventsStream, validator!.durable)).ack_floor.stream_seq === last,
    );
  });
});
