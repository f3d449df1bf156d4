import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedEvent } from '#contracts';
import { S3ObjectStore, type ObjectBody, type PutContentResult, type PutOptions, type S3ObjectStoreOptions } from '#storage';
import { eventually } from '#testing';
import { EvaluatorTestBed, REACH_EXPERT_DIR } from './evaluator-test-bed.js';
import { missingRgwTools, PrivateRgw } from './private-rgw.js';

/**
 * The gateway's outage: `stop` kills the daemon and, given `forMs`, starts it again that long after it exited;
 * `stoppedAt` and `restartingAt` say when (epoch ms). Each happens once, however often it is asked for.
 */
export class GatewayOutage {
  stoppedAt?: number;
  restartingAt?: number;
  private stopped?: Promise<void>;
  private back?: Promise<void>;

  constructor(
    private readonly rgw: PrivateRgw,
    private readonly forMs?: number,
  ) {}

  readonly stop = (): Promise<void> =>
    (this.stopped ??= this.rgw.stopGateway().then(() => {
      this.stoppedAt = Date.now();
      if (this.forMs !== undefined) void sleep(this.forMs).then(() => this.restart());
    }));

  /** Starts the gateway again (once a stop in progress is done); a no-op when it runs. */
  restart(): Promise<void> {
    if (!this.back) {
      this.back = (async () => {
        await this.stopped?.catch(() => undefined);
        this.restartingAt = Date.now();
        await this.rgw.startGateway();
      })();
      // Awaited by over() or the test's finally; never left unhandled in between.
      this.back.catch(() => undefined);
    }
    return this.back;
  }

  /** Resolves once the outage began and is over; a test whose outage never began fails here, not vacuously. */
  async over(timeoutMs: number): Promise<void> {
    await eventually('the gateway to be stopped and started again', () => this.back !== undefined, timeoutMs);
    await this.back;
  }
}

/**
 * The real S3 adapter, which also plays the outage: the `outageAtPut`-th content write first stops the gateway (so
 * that write, and every one after it until the restart, meets a refused connection), and every write that fails is
 * kept. Nothing is faked: the failures are the minio client's against a dead port.
 */
export class OutageStore extends S3ObjectStore {
  puts = 0;
  readonly failures: Error[] = [];

  constructor(
    options: S3ObjectStoreOptions,
    private readonly outageAtPut: number,
    private readonly outage: () => Promise<void>,
  ) {
    super(options);
  }

  override async putContent(body: ObjectBody, options?: PutOptions): Promise<PutContentResult> {
    if (++this.puts === this.outageAtPut) await this.outage();
    try {
      return await super.putContent(body, options);
    } catch (error) {
      this.failures.push(error as Error);
      throw error;
    }
  }
}

/** A private Ceph cluster, an evaluator test bed beside it, a bucket of its own and the reach expert on the Hub. */
export interface S3OutageBed {
  rgw: PrivateRgw;
  bed: EvaluatorTestBed;
  /** The bucket's options, for the evaluator's store. */
  s3: S3ObjectStoreOptions;
  /** Reads the bucket for the assertions: a store of its own, not the one the evaluator wrote through. */
  reader: S3ObjectStore;
  agent: { repo: string; revision: string };
  dispose(): Promise<void>;
}

/** Starts the cluster (≈ 12–25 s) and the bed at once; whichever started is stopped again if the other failed. */
export const startS3OutageBed = async (hint: string): Promise<S3OutageBed> => {
  const [started, world] = await Promise.allSettled([PrivateRgw.start(), EvaluatorTestBed.start(hint)]);
  const rgw = started.status === 'fulfilled' ? started.value : undefined;
  const bed = world.status === 'fulfilled' ? world.value : undefined;
  const dispose = async () => {
    await Promise.all([bed?.dispose(), rgw?.down()]);
  };
  try {
    for (const result of [started, world]) if (result.status === 'rejected') throw result.reason;
    const s3: S3ObjectStoreOptions = {
      endpoint: rgw!.endpoint,
      region: 'us-east-1',
      bucket: `kinitro-outage-${randomBytes(4).toString('hex')}`,
      accessKey: rgw!.accessKey,
      secretKey: rgw!.secretKey,
      pathStyle: true,
      createBucket: true,
    };
    const reader = new S3ObjectStore(s3);
    await reader.start();
    const agent = await bed!.agentRepo('reach-expert', resolve(REACH_EXPERT_DIR));
    return { rgw: rgw!, bed: bed!, s3, reader, agent, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
};

/** Each event's data of `type`, in log order. */
export const dataOf = <T = Record<string, unknown>>(events: RecordedEvent[], type: string): T[] =>
  events.filter((e) => e.type === type).map((e) => e.data as T);

/**
 * A describe block with an S3OutageBed started before it and stopped after it (`world()` inside the tests), or, on a
 * machine without Ceph, one skipped test that says which tools are missing.
 */
export const describeWithS3Outage = (name: string, hint: string, body: (world: () => S3OutageBed) => void): void => {
  const missing = missingRgwTools();
  if (missing.length > 0) {
    describe(name, () => {
      it.skip(`needs Ceph (${missing.join(', ')} not on PATH: apt-get install --no-install-recommends ceph-mon ceph-osd radosgw)`, () => undefined);
    });
    return;
  }
  let world: S3OutageBed | undefined;
  describe(name, () => {
    beforeAll(async () => {
      world = await startS3OutageBed(hint);
    }, 120_000);
    afterAll(() => world?.dispose(), 60_000);
    body(() => world!);
  });
};
