import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { u8aToHex } from '@polkadot/util';
import { newEvent, newEventId } from '#contracts';
import { commitmentAggregateId } from '#domain';
import { MonitorTestBed, RecordingLogger, since, text } from './testing/monitor-test-bed.js';

const NETUID = 11;
let bed: MonitorTestBed;

beforeAll(async () => {
  bed = await MonitorTestBed.start('chain_monitor', NETUID);
});

afterAll(async () => {
  await bed?.dispose();
});

describe('chain monitor', () => {
  it('appends one CommitmentObserved per commitment, with uid, block, hash and raw bytes, garbage included', async () => {
    const [bob, charlie] = bed.keys.miners;
    const monitor = await bed.startMonitor();
    const start = bed.node.head.number;
    const valid = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/a@abcdef0'), bob);
    const garbage = await bed.chain.setCommitment(NETUID, Uint8Array.of(0xff, 0x00, 0xfe), charlie);
    const after = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/a@1234567'), bob);
    await bed.caughtUp(monitor);
    await bed.stopMonitor(monitor);

    expect(since(start, await bed.observed())).toEqual([
      { netuid: NETUID, hotkey: bob.address, uid: 1, block: valid.block.number, blockHash: valid.block.hash, raw: u8aToHex(text('k1:mt10:acme/a@abcdef0')) },
      { netuid: NETUID, hotkey: charlie.address, uid: 2, block: garbage.block.number, blockHash: garbage.block.hash, raw: '0xff00fe' },
      { netuid: NETUID, hotkey: bob.address, uid: 1, block: after.block.number, blockHash: after.block.hash, raw: u8aToHex(text('k1:mt10:acme/a@1234567')) },
    ]);
    const subjects = (await bed.events()).filter((e) => e.type === 'CommitmentObserved').map((e) => e.aggregateId);
    expect(new Set(subjects)).toEqual(new Set([commitmentAggregateId(NETUID, bob.address), commitmentAggregateId(NETUID, charlie.address)]));
  });

  it('serves readiness on HEALTH_PORT while it follows the chain, and stops serving when stopped', async () => {
    const monitor = await bed.startMonitor(new RecordingLogger(), { HEALTH_PORT: 0 });
    const url = `http://127.0.0.1:${monitor.healthPort}`;
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok' }]);
    await monitor.monitor.stop();
    const stopped = await fetch(`${url}/health/ready`);
    expect(stopped.status).toBe(503);
    expect(stopped.headers.get('content-type')).toBe('application/problem+json');
    expect(((await stopped.json()) as { reasons: string[] }).reasons).toEqual(['not following the chain']);
    await bed.stopMonitor(monitor);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });

  it('syncs the metagraph at start-up and every METAGRAPH_SYNC_BLOCKS blocks, with permits and exact stakes', async () => {
    const resumesAt = (logger: RecordingLogger) => Number(/from block (\d+)/.exec(logger.at('log').join('\n'))?.[1]);
    const before = (await bed.snapshots()).length;
    const logger = new RecordingLogger();
    const rarely = await bed.startMonitor(logger, { METAGRAPH_SYNC_BLOCKS: 1000 });
    bed.node.produceBlocks(2);
    await bed.caughtUp(rarely);
    await bed.stopMonitor(rarely);
    expect((await bed.snapshots()).slice(before).map((s) => s.block)).toEqual([resumesAt(logger)]);

    const between = (await bed.snapshots()).length;
    const everyThird = await bed.startMonitor(new RecordingLogger(), { METAGRAPH_SYNC_BLOCKS: 3 });
    bed.node.produceBlocks(7);
    await bed.caughtUp(everyThird);
    await bed.stopMonitor(everyThird);
    const [startup, ...periodic] = (await bed.snapshots()).slice(between);
    expect(periodic.map((s) => s.block)).toEqual(
      Array.from({ length: bed.node.head.number - startup!.block }, (_, i) => startup!.block + 1 + i).filter((n) => n % 3 === 0),
    );
    expect(periodic.at(-1)!.netuid).toBe(NETUID);
    expect(periodic.at(-1)!.neurons).toEqual([
      { uid: 0, hotkey: bed.keys.validator.address, coldkey: bed.keys.validator.address, stake: '9007199254740993000', validatorPermit: true, active: true },
      ...bed.keys.miners.map((m, i) => ({
        uid: i + 1,
        hotkey: m.address,
        coldkey: bed.keys.validator.address,
        stake: '1000',
        validatorPermit: false,
        active: true,
      })),
    ]);
  });

  it('after a restart, observes what was committed while it was stopped, and appends nothing twice', async () => {
    const [bob, charlie, dave] = bed.keys.miners;
    const start = bed.node.head.number;
    const first = await bed.startMonitor();
    const before = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/b@0000001'), bob);
    await bed.caughtUp(first);
    await bed.stopMonitor(first);

    const whileStopped = [
      await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/c@0000002'), charlie),
      await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/d@0000003'), dave),
    ];
    bed.node.produceBlocks(2);
    // Only the start-up snapshot: the last commitment, not a later snapshot, is what the third start resumes from.
    const second = await bed.startMonitor(undefined, { METAGRAPH_SYNC_BLOCKS: 1000 });
    const afterRestart = await bed.chain.setCommitment(NETUID, text('k1:mt10:acme/b@0000004'), bob);
    await bed.caughtUp(second);
    await bed.stopMonitor(second);
    // Other hotkeys of that block might have been missing, so the third start reads it again: still nothing twice.
    const logger = new RecordingLogger();
    const third = await bed.startMonitor(logger);
    expect(logger.at('log')).toContain(
      `watching netuid ${NETUID} from block ${afterRestart.block.number} (the log covers every block up to ${afterRestart.block.number - 1})`,
    );
    bed.node.produceBlocks(1);
    await bed.caughtUp(third);
    await bed.stopMonitor(third);

    expect(since(start, await bed.observed()).map((o) => [o.hotkey, o.block])).toEqual([
      [bob.address, before.block.number],
      [charlie.address, whileStopped[0]!.block.number],
      [dave.address, whileStopped[1]!.block.number],
      [bob.address, afterRestart.block.number],
    ]);
    const ids = (await bed.events()).map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not rely on JetStream’s 2-minute duplicate window: a block already in the log is not appended again', async () => {
    const [, , dave] = bed.keys.miners;
    const commitment = bed.node.commitDirectly(NETUID, dave.address, text('k1:mt10:acme/d@0000005'));
    // What an earlier run appended longer ago than the duplicate window: JetStream no longer knows its id.
    const planted = newEventId();
    await bed.eventStore().append(
      'commitment',
      commitmentAggregateId(NETUID, dave.address),
      [
        newEvent(
          'CommitmentObserved',
          {
            netuid: NETUID,
            hotkey: dave.address,
            uid: 3,
            block: commitment.number,
            blockHash: commitment.hash,
            raw: u8aToHex(text('k1:mt10:acme/d@0000005')),
          },
          planted,
        ),
      ],
      { expected: 'any' },
    );

    const monitor = await bed.startMonitor();
    bed.node.produceBlocks(1);
    await bed.caughtUp(monitor);
    await bed.stopMonitor(monitor);

    const atThatBlock = (await bed.events()).filter(
      (e) => e.type === 'CommitmentObserved' && e.data.hotkey === dave.address && e.data.block === commitment.number,
    );
    expect(atThatBlock.map((e) => e.eventId)).toEqual([planted]);
  });
});
