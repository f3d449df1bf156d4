import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newEvent } from '#contracts';
import { evaluationIdFor } from '#domain';
import type { S3ObjectStore } from '#storage';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';
import { ALICE, claim, EVE, planSeed, seeder } from '../testing/scenario.js';

/**
 * Frame and trajectory URLs when the object store is S3: presigned on read with OBJECT_URL_TTL_S, fetched from the
 * S3 server itself. Runs against S3_TEST_ENDPOINT (Ceph RGW from infra/s3/rgw-up.sh; `.ci/run` sets it).
 */
const endpoint = process.env['S3_TEST_ENDPOINT'];
const TTL_S = 120;

if (!endpoint) {
  describe('frame URLs on S3', () => {
    it.skip('needs S3_TEST_ENDPOINT (start Ceph RGW with infra/s3/rgw-up.sh and export what it prints as S3_TEST_*)', () => undefined);
  });
} else {
  let bed: ApiTestBed;
  const png = randomBytes(2500);
  const trajectory = Buffer.from('{"step":0}\n{"step":1}\n');
  const evaluatorLog = Buffer.from('2026-12-02T10:00:00.000Z item episode …\n2026-12-02T10:00:02.000Z episode … 2 steps\n');
  let evaluationId: string;
  const episodeId = randomUUID();

  beforeAll(async () => {
    bed = await startApiTestBed(
      'api s3 urls',
      { OBJECT_URL_TTL_S: TTL_S },
      {
        objectStore: {
          kind: 's3',
          endpoint,
          region: 'us-east-1',
          bucket: `kinitro-api-${randomBytes(4).toString('hex')}`,
          accessKey: process.env['S3_TEST_ACCESS_KEY'] ?? 'kinitro-test',
          secretKey: process.env['S3_TEST_SECRET_KEY'] ?? 'kinitro-test-secret',
          pathStyle: true,
          createBucket: true,
        },
      },
    );
    const seed = seeder(bed.store);
    await seed.competition('arena');
    const submission = await seed.submission('arena', ALICE, 100);
    const jobId = await seed.job({ id: submission, competitionId: 'arena', hotkey: ALICE }, 'control');
    // The judge counts an episode only of a claimed evaluation, at a seed the job's plan gives it.
    await seed.evaluate(jobId, EVE, claim(jobId, EVE));
    const frame = await bed.objects.putContent(png, { contentType: 'image/png' });
    const traj = await bed.objects.putContent(trajectory, { contentType: 'application/x-ndjson' });
    const log = await bed.objects.putContent(evaluatorLog, { contentType: 'text/plain; charset=utf-8' });
    evaluationId = evaluationIdFor(jobId, EVE);
    await bed.store.append(
      'episode',
      episodeId,
      [
        newEvent('EpisodeRecorded', {
          episodeId,
          evaluationId: evaluationIdFor(jobId, EVE),
          jobId,
          validator: EVE,
          task: 'reach-v3',
          episodeIndex: 0,
          seed: planSeed(jobId, 'reach-v3'),
          steps: 2,
          totalReward: 1,
          success: true,
          terminated: true,
          truncated: false,
          durationMs: 10,
          trajectoryKey: traj.key,
          trajectory: { key: traj.key, contentType: 'application/x-ndjson', bytes: trajectory.length, sha256: traj.sha256 },
          frames: [{ camera: 'corner', key: frame.key, steps: [0], contentType: 'image/png', bytes: png.length, sha256: frame.sha256 }],
          sampledSteps: [],
          evaluator: 'evaluator-1',
          evaluatorLog: { key: log.key, contentType: log.contentType, bytes: evaluatorLog.length, sha256: log.sha256 },
        }),
      ],
      { expected: 'any' },
    );
    await bed.project();
  });
  afterAll(async () => {
    await (bed?.objects as S3ObjectStore | undefined)?.destroyBucket();
    await bed?.dispose();
  });

  describe('frame URLs on S3', () => {
    it('presigns each frame on read with a short TTL; the URL fetches the bytes from S3', async () => {
      const before = Date.now();
      const { body: ep } = await request(bed.baseUrl, 'GET', `/api/v1/episodes/${episodeId}`);
      const [frame] = ep.frames;
      expect(frame.url.startsWith(endpoint.replace(/\/$/, ''))).toBe(true);
      expect(frame.url).toContain('X-Amz-Signature=');
      const expires = Date.parse(frame.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(before + (TTL_S - 5) * 1000);
      expect(expires).toBeLessThanOrEqual(Date.now() + (TTL_S + 5) * 1000);
      const fetched = await fetch(frame.url);
      expect(fetched.status).toBe(200);
      expect(Buffer.from(await fetched.arrayBuffer()).equals(png)).toBe(true);
    });

    it("presigns the evaluator's log in the evaluation's logs; the URL fetches it from S3", async () => {
      const { status, body } = await request(bed.baseUrl, 'GET', `/api/v1/results/${evaluationId}/logs`, { headers: { 'x-api-key': bed.adminKey } });
      expect(status).toBe(200);
      const [log] = body.evaluatorLogs;
      expect(body.evaluatorLogs).toHaveLength(1);
      expect(log).toMatchObject({ evaluator: 'evaluator-1', episodeId, bytes: evaluatorLog.length, contentType: 'text/plain; charset=utf-8' });
      expect(body.episodes[0].evaluatorLog).toEqual(log);
      expect(log.url.startsWith(endpoint.replace(/\/$/, ''))).toBe(true);
      expect(log.url).toContain('X-Amz-Signature=');
      const fetched = await fetch(log.url);
      expect(fetched.status).toBe(200);
      expect(Buffer.from(await fetched.arrayBuffer()).equals(evaluatorLog)).toBe(true);
    });

    it('redirects the trajectory route to a presigned URL', async () => {
      const response = await fetch(`${bed.baseUrl}/api/v1/episodes/${episodeId}/trajectory`, { redirect: 'manual' });
      expect(response.status).toBe(302);
      const location = response.headers.get('location')!;
      expect(location).toContain('X-Amz-Signature=');
      expect(Buffer.from(await (await fetch(location)).arrayBuffer()).equals(trajectory)).toBe(true);
    });
  });
}
