import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { Kvm } from '@nats-io/kv';
import { episodeHeartbeatKey, newEvent } from '#contracts';
import { deriveSeeds, evaluationIdFor, jobDecider, submissionDecider } from '#domain';
import { handleCommand } from '#eventing';
import { readTrajectory, type Trajectory } from '#agent';
import type { Page } from 'playwright-core';
import { startApiTestBed, type ApiTestBed } from '../../apps/api/src/testing/api-test-bed.js';
import { ALICE, benchmark, BOB, CHARLIE, claim, complete, DAVE, EVE, FERDIE, seeder, start } from '../../apps/api/src/testing/scenario.js';
import { launchBrowser, screenshot, seriousAccessibilityViolations, type Browser } from './browser.js';
import { CAMERA, MAX_STEPS, recordEpisode, type RecordedEpisode } from './recorded-episode.js';

/**
 * The dashboard in Debian's Chromium against the real api on real NATS and Postgres, its read models projected from
 * real events, with real recorded episodes (MuJoCo frames and trajectories) in a temp-dir object store.
 */
let bed: ApiTestBed;
let browser: Browser;
let seed: ReturnType<typeof seeder>;
const ids = {} as { aliceSubmission: string; aliceJob: string; bobJob: string; charlieJob: string };
let expert: RecordedEpisode;
let expertNext: RecordedEpisode;
let idle: RecordedEpisode;
/** Ferdie's run of Alice's job: the idle policy on the expert's first seed (same job, same plan, another validator). */
let sameSeed: RecordedEpisode;
let expertTrajectory: Trajectory;

/** Every job plans two reach-v3 episodes (the expert's task), so the recorded episodes and the completions follow the plan, as the projector's judge requires. */
const BENCHMARK = { ...benchmark('control'), tasks: ['reach-v3'], episodesPerTask: 2 };
/** The seed the job's plan gives reach-v3 episode `episodeIndex`. */
const planned = (jobId: string, episodeIndex: number): number => deriveSeeds(jobId, BENCHMARK)[episodeIndex]!;
let expertSeeds: [number, number];

// What the page functions below use of the DOM: they run in Chromium, and this program is typed without lib.dom.
declare const window: { loadedOnce?: number };
declare const getComputedStyle: (node: unknown) => { backgroundPosition: string; backgroundImage: string };

const COMMITMENT_BYTES = '0x6d74313a6d696e65722f616c696365';

/** A submission from a commitment observed on chain (the seeder's submissions name a commitment event that does not exist). */
const committedSubmission = async (hotkey: string, block: number): Promise<string> => {
  const commitmentEventId = randomUUID();
  const data = { netuid: 2, hotkey, uid: 5, block, blockHash: `0x${'ab'.repeat(32)}`, raw: COMMITMENT_BYTES };
  await bed.store.append('commitment', `2:${hotkey}`, [newEvent('CommitmentObserved', data, commitmentEventId)], { expected: 'any' });
  const submissionId = randomUUID();
  const revision = 'a'.repeat(40);
  await handleCommand(bed.store, submissionDecider, submissionId, {
    type: 'ReceiveSubmission',
    submissionId,
    hotkey,
    block,
    commitmentEventId,
    competitionId: 'mt1',
    repo: 'miner/alice',
    revision,
  });
  await handleCommand(bed.store, submissionDecider, submissionId, { type: 'AcceptSubmission', revision, repoBytes: 1000 });
  return submissionId;
};

/** A job of the submission on BENCHMARK, created through the job decider as the seeder's are. */
const job = async (submissionId: string, hotkey: string): Promise<string> => {
  const jobId = randomUUID();
  await handleCommand(bed.store, jobDecider, jobId, {
    type: 'CreateJob',
    jobId,
    submissionId,
    competitionId: 'mt1',
    hotkey,
    repo: `miner/${hotkey.slice(0, 8)}`,
    revision: 'a'.repeat(40),
    benchmark: BENCHMARK,
    causedAt: '2026-03-01T12:00:00.000Z',
  });
  return jobId;
};

/** Alice's uid (her commitment's) and Bob's, on the netuid of the commitment. */
const NETUID = 2;
const UID = { alice: 5, bob: 6 };

/** Eve scores Alice's submission, then sets weights twice: [5: 75%, 6: 25%] at block 700, [5: 100%] at block 800. */
const scoreAndSet = async () => {
  const ref = { netuid: NETUID, validator: EVE, upToSequence: 1 };
  const score = {
    uid: UID.alice,
    hotkey: ALICE,
    competitionId: 'mt1',
    score: 1,
    submissionId: ids.aliceSubmission,
    role: 'champion' as const,
    rank: 1,
    reason: 'only eligible entry',
  };
  const events = [
    newEvent('ScoresComputed', { ...ref, scores: [score], weights: [{ uid: UID.alice, weight: 1 }] }),
    newEvent('WeightsSet', { ...ref, block: 700, extrinsicHash: '0x07', uids: [UID.alice, UID.bob], weights: [49151, 16384] }),
    newEvent('WeightsSet', { ...ref, block: 800, extrinsicHash: '0x08', uids: [UID.alice], weights: [65535] }),
  ];
  for (const event of events) await bed.store.append('weights', `${NETUID}:${EVE}`, [event], { expected: 'any' });
};

/** Dave's weight sets on netuid 3, more than the page's window of 200: at blocks 1 … DAVE_SETS, uid 1's share rising. */
const DAVE_NETUID = 3;
const DAVE_SETS = 230;
const daveSets = async () => {
  await seed.permit(DAVE);
  for (let block = 1; block <= DAVE_SETS; block++) {
    const set = newEvent('WeightsSet', {
      netuid: DAVE_NETUID,
      validator: DAVE,
      upToSequence: 1,
      block,
      extrinsicHash: `0x${block.toString(16).padStart(64, '0')}`,
      uids: [1, 2],
      weights: [block, DAVE_SETS],
    });
    await bed.store.append('weights', `${DAVE_NETUID}:${DAVE}`, [set], { expected: 'any' });
  }
};

/** The evaluator's log of Bob's evaluation, as the idle episode's event names it. */
const IDLE_LOG = '2026-12-02T10:00:00.000Z item episode …: reach-v3 #0, seed …\n2026-12-02T10:00:01.000Z session agent started: idle 0.0.1\n';

beforeAll(async () => {
  bed = await startApiTestBed('dashboard');
  seed = seeder(bed.store);
  await seed.competition('mt1');
  // Older than every other weights event, so the unfiltered weights page still opens on Eve's.
  await daveSets();
  ids.aliceSubmission = await committedSubmission(ALICE, 100);
  const bobSubmission = await seed.submission('mt1', BOB, 101);
  const charlieSubmission = await seed.submission('mt1', CHARLIE, 102);
  ids.aliceJob = await job(ids.aliceSubmission, ALICE);
  ids.bobJob = await job(bobSubmission, BOB);
  ids.charlieJob = await job(charlieSubmission, CHARLIE);
  expertSeeds = [planned(ids.aliceJob, 0), planned(ids.aliceJob, 1)];
  await seed.evaluate(ids.aliceJob, EVE, claim(ids.aliceJob, EVE), start);
  await seed.evaluate(ids.bobJob, EVE, claim(ids.bobJob, EVE), start);
  // Two policies (each on its job's planned seed), and a second episode of the expert's evaluation (for next/previous).
  expert = await recordEpisode(bed.store, bed.objects, { jobId: ids.aliceJob, validator: EVE, seed: expertSeeds[0], episodeIndex: 0, policy: 'expert' });
  expertNext = await recordEpisode(bed.store, bed.objects, { jobId: ids.aliceJob, validator: EVE, seed: expertSeeds[1], episodeIndex: 1, policy: 'expert' });
  idle = await recordEpisode(bed.store, bed.objects, {
    jobId: ids.bobJob,
    validator: EVE,
    seed: planned(ids.bobJob, 0),
    episodeIndex: 0,
    policy: 'idle',
    evaluatorLog: IDLE_LOG,
  });
  await seed.evaluate(ids.aliceJob, EVE, complete(1, 2));
  await seed.evaluate(ids.bobJob, EVE, complete(0, 2));
  await seed.evaluate(ids.charlieJob, FERDIE, claim(ids.charlieJob, FERDIE));
  await scoreAndSet();
  await seed.evaluate(ids.aliceJob, FERDIE, claim(ids.aliceJob, FERDIE), start);
  sameSeed = await recordEpisode(bed.store, bed.objects, { jobId: ids.aliceJob, validator: FERDIE, seed: expertSeeds[0], episodeIndex: 0, policy: 'idle' });
  await bed.project();
  expertTrajectory = readTrajectory(await bed.objects.get(expert.recording.trajectoryKey));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await bed?.nats.jsm.streams.delete(`KV_${bed.topology.activityBucket}`).catch(() => undefined);
  await bed?.dispose();
});

const open = async (path: string): Promise<Page> => {
  const page = await browser.page();
  await page.goto(`${bed.baseUrl}${path}`);
  return page;
};

const text = (page: Page, testId: string) => page.getByTestId(testId).first().innerText();

describe('the api serves the dashboard', () => {
  it('answers a browser at / with the dashboard and an API client with JSON', async () => {
    const html = await fetch(`${bed.baseUrl}/`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('/dashboard/assets/');
    const json = await fetch(`${bed.baseUrl}/`);
    expect(await json.json()).toMatchObject({ service: 'kinitro-api' });
    expect([html.headers.get('vary'), json.headers.get('vary')]).toEqual([expect.stringMatching(/Accept/), expect.stringMatching(/Accept/)]);
    const asset = /src="([^"]+\.js)"/.exec(await (await fetch(`${bed.baseUrl}/`, { headers: { accept: 'text/html' } })).text())![1]!;
    const script = await fetch(`${bed.baseUrl}${asset}`);
    expect([script.status, script.headers.get('content-type'), script.headers.get('cache-control')]).toEqual([
      200,
      expect.stringMatching(/javascript/),
      expect.stringMatching(/immutable/),
    ]);
    const deep = await fetch(`${bed.baseUrl}/episodes/${expert.episodeId}?step=3`, { headers: { accept: 'text/html' } });
    expect([deep.status, deep.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    expect((await fetch(`${bed.baseUrl}/episodes/${expert.episodeId}`)).status).toBe(404); // not a page for API clients
  });
  it('has the projector reject none of the seeded events (signed by permitted validators, claimed, on the plan)', async () => {
    const rejected = (await (await fetch(`${bed.baseUrl}/api/v1/events/rejected?limit=200`)).json()) as { total: number; items: unknown[] };
    expect([rejected.total, rejected.items]).toEqual([0, []]);
  });
});

describe('in Chromium', () => {
  it('loads the competitions page with the leaderboard, accessibly', async () => {
    const page = await open('/');
    const board = page.getByTestId('leaderboard-mt1');
    await board.waitFor();
    const rows = await board.locator('tbody tr').allInnerTexts();
    expect(rows[0]).toContain('100.0%'); // Alice: 1.0 over 2 episodes, first
    expect(rows[0]).toContain('[34.2%, 100.0%]'); // Wilson 95% of 2/2: 0.3424…, 1
    expect(rows[1]).toContain('0.0%');
    await screenshot(page, 'competitions');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('changes a job’s state on screen, without a reload, when its events arrive', async () => {
    const page = await browser.page();
    const received: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push((JSON.parse(String(f.payload)) as { op: string }).op)));
    await page.goto(`${bed.baseUrl}/jobs`);
    const row = page.getByTestId(`job-${ids.charlieJob}-${FERDIE}`);
    await row.getByText('STARTING').waitFor();
    await page.getByTestId('feed-state').getByText('live').waitFor();
    await page.evaluate(() => (window.loadedOnce = 1));
    expect(received.slice(0, 3)).toEqual(['welcome', 'snapshot', 'subscribed']); // the protocol-2 snapshot fixes where the feed starts

    await seed.evaluate(ids.charlieJob, FERDIE, { type: 'StartEvaluation', evaluator: 'evaluator-7' });
    await row.getByTestId('job-state').getByText('RUNNING').waitFor({ timeout: 20_000 });
    const episodeId = randomUUID();
    const ref = {
      episodeId,
      evaluationId: evaluationIdFor(ids.charlieJob, FERDIE),
      jobId: ids.charlieJob,
      validator: FERDIE,
      task: 'reach-v3',
      episodeIndex: 0,
      seed: planned(ids.charlieJob, 0),
    };
    await bed.store.append('episode', episodeId, [newEvent('EpisodeStarted', { ...ref, evaluator: 'evaluator-7', attempt: 1 })], { expected: 'any' });
    await row.getByText('reach-v3 #0 on evaluator-7').waitFor({ timeout: 20_000 }); // who holds which episode
    // The evaluator's heartbeat (a KV entry, not an event): the board re-reads running jobs for it.
    await bed.project();
    const kv = await new Kvm(bed.nats.js).create(bed.topology.activityBucket);
    const beatAt = new Date(Date.now() - 3000).toISOString();
    const beat = { ...ref, slot: 0, evaluator: 'evaluator-7', attempt: 1, step: 40, maxSteps: 80, startedAt: beatAt, heartbeatAt: beatAt };
    await kv.put(episodeHeartbeatKey(ref.evaluationId, 0), JSON.stringify(beat));
    await row.getByText(/step 40\/80 · heartbeat \d+(\.\d)? s ago/).waitFor({ timeout: 20_000 });
    await screenshot(page, 'jobs-running');

    await seed.evaluate(ids.charlieJob, FERDIE, {
      type: 'FailEvaluation',
      reason: 'agent_crashed',
      fault: 'miner',
      detail: 'exit code 1',
      verdict: 'CRASH',
      stderrTail: 'Traceback: ZeroDivisionError',
    });
    await row.getByTestId('job-state').getByText('FAILED').waitFor({ timeout: 20_000 });
    await row.getByText('CRASH · fault: miner').click();
    expect(await row.getByLabel('agent stderr (tail)').innerText()).toContain('ZeroDivisionError');
    expect(await page.evaluate(() => window.loadedOnce)).toBe(1); // same document
    await screenshot(page, 'jobs-failed');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('tells a submission’s story with every event behind it', async () => {
    const page = await open(`/submissions/${ids.aliceSubmission}`);
    const events = page.getByTestId('submission-events');
    await events.waitFor();
    const types = await events.locator('summary strong').allInnerTexts();
    expect(types).toEqual([
      'CommitmentObserved',
      'SubmissionReceived',
      'SubmissionAccepted',
      'JobCreated',
      'EvaluationClaimed',
      'EvaluationStarted',
      'EvaluationCompleted',
      'ScoresComputed',
      'WeightsSet',
      'WeightsSet',
      'EvaluationClaimed',
      'EvaluationStarted',
    ]);
    // From scores to the weights that include its uid, with this uid's part of each.
    const scoring = await page.getByTestId('submission-scoring').locator('tbody tr').allInnerTexts();
    expect(scoring).toEqual([
      expect.stringMatching(/ScoresComputed.*score 1 · champion · only eligible entry/s),
      expect.stringMatching(/WeightsSet.*weight 75\.0% at block 700/s),
      expect.stringMatching(/WeightsSet.*weight 100\.0% at block 800/s),
    ]);
    expect(await page.getByText('netuid 2, uid 5').count()).toBe(1); // the commitment, from the chain's event
    const firstEpisodes = await page.getByRole('link', { name: /reach-v3 #0/ }).evaluateAll((links) => links.map((l) => l.getAttribute('href')));
    expect(firstEpisodes.sort()).toEqual([`/episodes/${expert.episodeId}`, `/episodes/${sameSeed.episodeId}`].sort()); // Eve's and Ferdie's
    await screenshot(page, 'submission');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The audit view of one aggregate, from the story's link.
    await events.getByText('JobCreated').click();
    await events.getByRole('link', { name: 'all events of this job' }).click();
    await page.waitForURL((u) => u.pathname === `/events/job/${ids.aliceJob}`);
    await page.getByTestId('audit-events').locator('summary strong').first().waitFor();
    expect(await page.getByTestId('audit-events').locator('summary strong').allInnerTexts()).toEqual(['JobCreated']);
    await screenshot(page, 'audit');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('charts each uid’s weight over blocks, with the sets in a table, linked from the leaderboard and the submission', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: 'weights set on chain, per uid' }).first().click();
    await page.waitForURL((u) => u.pathname === '/weights');
    const section = page.getByTestId(`weights-${NETUID}-${EVE}`);
    await section.getByTestId(`weights-${NETUID}-${EVE}-chart`).locator('canvas').waitFor();
    // uPlot's legend names one series per uid; the table gives every set, newest first, as shares of the vector.
    expect(await section.locator('.u-legend .u-series th').allInnerTexts()).toEqual(['block', `uid ${UID.alice}`, `uid ${UID.bob}`]);
    const rows = await section.getByTestId(`weights-${NETUID}-${EVE}-sets`).locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').slice(0, 2).join(' | ').replace(/\s+/g, ' ').trim())).toEqual([
      `800 | uid ${UID.alice}: 100.0%`,
      `700 | uid ${UID.alice}: 75.0% uid ${UID.bob}: 25.0%`,
    ]);
    await screenshot(page, 'weights');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // One uid, from the submission's story.
    await page.goto(`${bed.baseUrl}/submissions/${ids.aliceSubmission}`);
    await page.getByRole('link', { name: `weights history of uid ${UID.alice}` }).click();
    await page.waitForURL((u) => u.searchParams.get('uid') === String(UID.alice));
    await section.locator('.u-legend').waitFor();
    expect(await section.locator('.u-legend .u-series th').allInnerTexts()).toEqual(['block', `uid ${UID.alice}`]);
    expect(await section.getByTestId(`weights-${NETUID}-${EVE}-sets`).locator('tbody tr').allInnerTexts()).toEqual([
      expect.stringContaining(`uid ${UID.alice}: 100.0%`),
      expect.not.stringContaining(`uid ${UID.bob}`),
    ]);
    await screenshot(page, 'weights-uid');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('pages through more than 200 weight sets, 200 at a time, newest first', async () => {
    const page = await open(`/weights?validator=${DAVE}`);
    const section = page.getByTestId(`weights-${DAVE_NETUID}-${DAVE}`);
    const blocks = async () =>
      (await section.getByTestId(`weights-${DAVE_NETUID}-${DAVE}-sets`).locator('tbody tr td:first-child').allInnerTexts()).map(Number);
    await section.getByTestId(`weights-${DAVE_NETUID}-${DAVE}-chart`).locator('canvas').waitFor();
    expect(await text(page, 'weights-window')).toBe(`sets 1–200 of ${DAVE_SETS}`);
    const newest = Array.from({ length: 200 }, (_, i) => DAVE_SETS - i);
    expect(await blocks()).toEqual(newest);
    await screenshot(page, 'weights-paged');
    await page.getByRole('link', { name: 'older sets →' }).click();
    await page.waitForURL((u) => u.searchParams.get('offset') === '200' && u.searchParams.get('validator') === DAVE);
    await page.getByTestId('weights-window').getByText(`sets 201–${DAVE_SETS} of ${DAVE_SETS}`).waitFor();
    expect(await blocks()).toEqual(Array.from({ length: DAVE_SETS - 200 }, (_, i) => DAVE_SETS - 200 - i));
    // Shares of this window's sets: uid 1's at its newest block, 30, is 30 / (30 + 230).
    await section.locator('.u-legend').waitFor();
    expect(await page.getByText('uid 1: 11.5%').count()).toBe(1);
    await screenshot(page, 'weights-paged-older');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '← newer sets' }).click();
    await page.getByTestId('weights-window').getByText(`sets 1–200 of ${DAVE_SETS}`).waitFor();
    await page.close();
  });

  it('shows a job across its validators, its episodes, the evaluator log behind a key, and every event', async () => {
    const page = await open('/jobs');
    await page
      .getByTestId(`job-${ids.bobJob}-${EVE}`)
      .getByRole('link', { name: ids.bobJob.slice(0, 8) })
      .click();
    await page.waitForURL((u) => u.pathname === `/jobs/${ids.bobJob}`);
    const validator = page.getByTestId(`validator-${EVE}`);
    await validator.waitFor();
    expect(await validator.innerText()).toMatch(/COMPLETED\s+1 \/ \?/); // one recorded; the seeded claim planned no count
    expect(
      await page
        .getByTestId('job-episodes')
        .getByRole('link')
        .evaluateAll((links) => links.map((l) => l.getAttribute('href'))),
    ).toEqual([`/episodes/${idle.episodeId}`]);
    expect(await page.getByTestId('job-events').locator('summary strong').allInnerTexts()).toEqual([
      'JobCreated',
      'EvaluationClaimed',
      'EvaluationStarted',
      'EpisodeRecorded',
      'EvaluationCompleted',
    ]);
    // Without a key the page asks for one and reads no logs (a 401 would be a failed request in the console).
    expect(await page.getByTestId('job-logs').count()).toBe(0);
    const issued = await fetch(`${bed.baseUrl}/api/v1/admin/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': bed.adminKey },
      body: JSON.stringify({ name: 'dashboard-viewer', role: 'viewer' }),
    });
    const { key } = (await issued.json()) as { key: string };
    await page.getByLabel('API key (viewer, validator or admin)').fill(key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    const link = page.getByTestId(`logs-${EVE}`).getByRole('link', { name: `evaluator log of evaluator-test (${Buffer.byteLength(IDLE_LOG)} B)` });
    await link.waitFor();
    expect(await (await fetch(new URL((await link.getAttribute('href'))!, bed.baseUrl))).text()).toBe(IDLE_LOG);
    expect(await page.getByTestId(`logs-${EVE}`).innerText()).toContain('reach-v3 #0 · recorded on evaluator-test');
    await screenshot(page, 'job');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Forget the key' }).click();
    await page.getByRole('button', { name: 'Use this key' }).waitFor();
    expect(await page.getByTestId('job-logs').count()).toBe(0);
    // Live: another validator claims the job; its row and its claim show up without a reload.
    await page.getByTestId('feed-state').getByText('live').waitFor();
    await page.evaluate(() => (window.loadedOnce = 2));
    await seed.evaluate(ids.bobJob, FERDIE, claim(ids.bobJob, FERDIE));
    await page.getByTestId(`validator-${FERDIE}`).getByText('STARTING').waitFor({ timeout: 20_000 });
    await page.getByTestId('job-events').locator('summary strong').getByText('EvaluationClaimed').nth(1).waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => window.loadedOnce)).toBe(2);
    await page.close();
  });

  /** The frame a camera must show at `step`, from the recorder's FrameRef: the last rendered at or before it. */
  const expectedFrame = (step: number) => {
    const frames = expert.recording.frames[0]!;
    const index = frames.steps.findLastIndex((s) => s <= step);
    const { columns, frameWidth, frameHeight } = frames.layout!;
    return { index, shows: frames.steps[index]!, x: -(index % columns) * frameWidth, y: -Math.floor(index / columns) * frameHeight };
  };

  const cameraAt = async (page: Page, camera: string) => {
    const el = page.getByTestId(`camera-${camera}`).first();
    return el.evaluate((node) => {
      const style = getComputedStyle(node);
      return { step: Number(node.getAttribute('data-frame-step')), position: style.backgroundPosition, image: style.backgroundImage, width: node.clientWidth };
    });
  };

  it('scrubs every camera to a step and shows that step’s frame and the cursor’s value', async () => {
    const page = await open(`/episodes/${expert.episodeId}`);
    const scrubber = page.getByTestId('scrubber');
    await scrubber.waitFor();
    expect(await scrubber.getAttribute('max')).toBe(String(MAX_STEPS));
    const target = 37;
    await scrubber.fill(String(target));
    await page.getByTestId('step-of').getByText(`step ${target} / ${MAX_STEPS}`).waitFor();

    const frame = expectedFrame(target);
    expect(frame.shows).toBe(32); // frames at 0, 8, …, 80
    for (const camera of CAMERA.names) {
      const shown = await cameraAt(page, camera);
      const scale = shown.width / CAMERA.width;
      expect([camera, shown.step, shown.position]).toEqual([camera, frame.shows, `${frame.x * scale}px ${frame.y * scale}px`]);
      // The background is this camera's sprite sheet, byte for byte.
      const url = new URL(/url\("(.*)"\)/.exec(shown.image)![1]!, bed.baseUrl);
      const sheet = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const ref = expert.recording.frames.find((f) => f.camera === camera)!;
      expect(createHash('sha256').update(sheet).digest('hex')).toBe(ref.sha256);
    }
    // The cursor's values are those of trajectory step 37, read back with the repo's own reader.
    const step = expertTrajectory.steps[target - 1]!;
    expect(await text(page, 'readout-step')).toBe(String(target));
    expect(await text(page, 'readout-reward')).toBe(String(step.reward));
    const cumulative = expertTrajectory.steps.slice(0, target).reduce((sum, s) => sum + s.reward, 0);
    expect(Number(await text(page, 'readout-cumulative'))).toBeCloseTo(cumulative, 3);
    expect(await text(page, 'readout-success')).toBe(step.info['success'] === true ? 'yes' : 'no');
    // Each plot's legend gives its value under the cursor.
    expect(Number(await page.getByTestId('plot-reward').getByTestId('legend-value').innerText())).toBeCloseTo(step.reward, 4);
    expect(Number(await page.getByTestId('plot-cumulative').getByTestId('legend-value').innerText())).toBeCloseTo(cumulative, 3);
    const actionValues = await page.getByTestId('plot-action-a').getByTestId('legend-value').allInnerTexts();
    expect(actionValues.map(Number)).toEqual(step.action.map((v) => expect.closeTo(v, 3)));
    // One cursor on every plot, at the same x.
    const cursors = await page.locator('.step-cursor').evaluateAll((lines) => lines.map((l) => (l as unknown as { style: { left: string } }).style.left));
    expect(cursors).toHaveLength(4);
    expect(new Set(cursors).size).toBe(1);
    // Frame stepping, then the address names the step.
    await page.getByRole('button', { name: 'Next frame' }).click();
    await page.getByTestId('step-of').getByText(`step 40 / ${MAX_STEPS}`).waitFor();
    expect((await cameraAt(page, 'corner')).step).toBe(40);
    await page.waitForURL((u) => u.searchParams.get('step') === '40');
    await screenshot(page, 'episode');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('opens a deep link at its step, with markers, download and next episode', async () => {
    const page = await open(`/episodes/${expert.episodeId}?step=12`);
    await page.getByTestId('step-of').getByText(`step 12 / ${MAX_STEPS}`).waitFor();
    expect(await page.getByTestId('scrubber').inputValue()).toBe('12');
    expect((await cameraAt(page, 'topview')).step).toBe(8);
    expect(await text(page, 'readout-reward')).toBe(String(expertTrajectory.steps[11]!.reward));
    const firstSuccess = expertTrajectory.steps.findIndex((s) => s.info['success'] === true) + 1;
    if (firstSuccess > 0) {
      await page.getByRole('button', { name: `first success at step ${firstSuccess}` }).click();
      await page.getByTestId('step-of').getByText(`step ${firstSuccess} / ${MAX_STEPS}`).waitFor();
    }
    await page.getByRole('button', { name: `truncated at step ${MAX_STEPS}` }).waitFor();
    const download = await page.getByRole('link', { name: 'download trajectory' }).getAttribute('href');
    const bytes = new Uint8Array(await (await fetch(`${bed.baseUrl}${download}`)).arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(expert.recording.trajectory.sha256);
    await page.getByRole('link', { name: 'episodes of this evaluation' }).click();
    await page.getByTestId('episodes').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('episodes').locator('tbody tr').count()).toBe(2);
    await screenshot(page, 'episodes');
    await page.goBack();
    await page.getByRole('link', { name: 'next episode →' }).click();
    await page.waitForURL((u) => u.pathname === `/episodes/${expertNext.episodeId}`);
    await page.getByText(`seed ${expertSeeds[1]}`).waitFor();
    await screenshot(page, 'episode-next');
    await page.getByRole('link', { name: '← previous episode' }).waitFor();
    await page.keyboard.press('ArrowUp'); // back to the first episode of the evaluation, from the keyboard
    await page.waitForURL((u) => u.pathname === `/episodes/${expert.episodeId}`);
    await page.close();
  });

  it('plays two episodes side by side on one timeline', async () => {
    const page = await open(`/episodes/${expert.episodeId}?step=24&compare=${idle.episodeId}`);
    await page.getByTestId('readout-b').waitFor();
    expect(await page.getByTestId(`camera-corner`).count()).toBe(2);
    const steps = await page.locator('[data-testid="camera-corner"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-frame-step')));
    expect(steps).toEqual(['24', '24']);
    const idleTrajectory = readTrajectory(await bed.objects.get(idle.recording.trajectoryKey));
    expect(await page.getByTestId('readout-b').getByTestId('readout-reward').innerText()).toBe(String(idleTrajectory.steps[23]!.reward));
    await page.getByTestId('speed').selectOption('4');
    await page.getByTestId('play').click();
    await page.getByTestId('step-of').getByText(`step ${MAX_STEPS} / ${MAX_STEPS}`).waitFor({ timeout: 20_000 });
    await screenshot(page, 'episode-compare');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('picks the same seed’s episode from another validator and locks both to one step', async () => {
    const page = await open(`/episodes/${expert.episodeId}?step=24`);
    const picker = page.getByTestId('compare');
    await picker.locator(`option[value="${sameSeed.episodeId}"]`).waitFor({ state: 'attached' });
    // Only episodes of the same task and seed are offered: Ferdie's, not the idle policy's on Bob's job (another seed).
    expect(await picker.locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value')))).toEqual(['', sameSeed.episodeId]);
    await picker.selectOption(sameSeed.episodeId);
    await page.waitForURL((u) => u.searchParams.get('compare') === sameSeed.episodeId && u.searchParams.get('step') === '24');
    await page.getByTestId('readout-b').waitFor();
    const framesOf = () => page.locator('[data-testid="camera-corner"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-frame-step')));
    expect(await framesOf()).toEqual(['24', '24']);
    // One scrubber drives both: step 50 shows each one's frame of step 48 and each one's own reward at step 50.
    await page.getByTestId('scrubber').fill('50');
    await page.getByTestId('step-of').getByText(`step 50 / ${MAX_STEPS}`).waitFor();
    expect(await framesOf()).toEqual(['48', '48']);
    const ferdieTrajectory = readTrajectory(await bed.objects.get(sameSeed.recording.trajectoryKey));
    expect([
      await page.getByTestId('readout-a').getByTestId('readout-step').innerText(),
      await page.getByTestId('readout-b').getByTestId('readout-step').innerText(),
    ]).toEqual(['50', '50']);
    expect(await page.getByTestId('readout-a').getByTestId('readout-reward').innerText()).toBe(String(expertTrajectory.steps[49]!.reward));
    expect(await page.getByTestId('readout-b').getByTestId('readout-reward').innerText()).toBe(String(ferdieTrajectory.steps[49]!.reward));
    expect(await page.getByText(`validator ${FERDIE.slice(0, 8)}`).count()).toBeGreaterThan(0);
    await screenshot(page, 'episode-compare-same-seed');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('logged no console error, uncaught exception or failed request on any page', () => {
    expect(browser.problems).toEqual([]);
  });
});
