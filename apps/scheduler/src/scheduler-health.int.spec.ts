import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '#testing';
import { SCHEDULER_DURABLE } from './create-scheduler.js';
import { SchedulerTestBed } from './testing/scheduler-test-bed.js';

let bed: SchedulerTestBed;

beforeAll(async () => {
  bed = await SchedulerTestBed.start('scheduler health');
});
afterAll(() => bed.dispose());

const get = async (port: number, path: string) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as { reasons?: string[] } };
};

describe('scheduler readiness (HEALTH_PORT)', () => {
  it('is ready with its consumer running, 503 naming the consumer while its deleted durable is recreated, then ready again', async () => {
    const running = await bed.startScheduler({}, { HEALTH_PORT: 0 });
    const port = running.healthPort!;
    expect(await get(port, '/health/live')).toMatchObject({ status: 200 });
    await eventually('ready', async () => (await get(port, '/health/ready')).status === 200);

    const seen: { status: number; reasons?: string[] }[] = [];
    const watching = (async () => {
      for (let i = 0; i < 200 && !seen.some((s) => s.status === 503); i++) {
        const { status, body } = await get(port, '/health/ready');
        seen.push({ status, reasons: body.reasons });
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    await bed.nats.jsm.consumers.delete(bed.topology.eventsStream, SCHEDULER_DURABLE);
    await watching;
    const notReady = seen.find((s) => s.status === 503);
    expect(notReady?.reasons).toEqual([expect.stringMatching(new RegExp(`^consumer ${SCHEDULER_DURABLE} is recovering`))]);
    await eventually('ready after recovery', async () => (await get(port, '/health/ready')).status === 200, 20_000);
    await bed.stopScheduler(running);
  });
});
