import { describe, expect, it } from '@jest/globals';
import { deriveEventId, isStorableText, newEvent, type EventData, type RecordedEvent } from '#contracts';
import { describeManifestIssues, parseAgentManifest } from '../agent-manifest/manifest.js';
import type { Decision } from './decision.js';
import { submissionIdFor } from './ids.js';
import { judgeSubmission, onCommitment, type HubFindings } from './submissions.js';
import { hex, MINER, NETUID, OTHER_MINER, rawCommitment, SchedulerWorld, SHA } from './testing/world.js';

const found = (overrides: Partial<Extract<HubFindings, { kind: 'found' }>> = {}): HubFindings => ({
  kind: 'found',
  revision: SHA,
  repoBytes: 1000,
  manifest: { ok: true },
  ...overrides,
});

const ready = () => new SchedulerWorld().competition().metagraph();

const typesOf = (decisions: Decision[]) => decisions.flatMap((d) => d.events.map((e) => e.type));

/** Commitment → plan → (Hub findings) → decisions, each appended to the world's log like the app does. */
const submit = (world: SchedulerWorld, findings: HubFindings = found(), raw = rawCommitment(), hotkey = MINER) => {
  const commitment = world.commit(raw, hotkey);
  const plan = onCommitment(world.state, commitment);
  const appended: RecordedEvent[] = 'decisions' in plan ? world.apply(plan.decisions) : [];
  if (plan.kind === 'inspect') appended.push(...world.apply(judgeSubmission(world.state, commitment, findings)));
  return { commitment, plan, appended, types: appended.map((e) => e.type) };
};

describe('scheduler: a commitment becomes a submission', () => {
  it('receives, inspects and accepts a valid commitment with the full revision and the repo size', () => {
    const world = ready();
    const { commitment, plan, appended, types } = submit(world);
    expect(plan).toMatchObject({ kind: 'inspect', inspection: { repo: 'miner/agent', revision: SHA.slice(0, 8) } });
    expect(types).toEqual(['SubmissionReceived', 'SubmissionAccepted']);
    const submissionId = submissionIdFor(NETUID, MINER, commitment.data.block, commitment.data.raw);
    expect(appended[1]!.data).toMatchObject({
      submissionId,
      competitionId: 'mt10',
      repo: 'miner/agent',
      revision: SHA,
      repoBytes: 1000,
      commitmentEventId: commitment.eventId,
    });
    expect(appended.map((e) => e.eventId)).toEqual([
      deriveEventId(commitment.eventId, 'SubmissionReceived'),
      deriveEventId(commitment.eventId, 'SubmissionAccepted'),
    ]);
  });

  it('rejects malformed bytes without receiving them, naming what is wrong', () => {
    const { types, appended } = submit(ready(), found(), hex(new TextEncoder().encode('k1:mt10:no-revision')));
    expect(types).toEqual(['SubmissionRejected']);
    expect(appended[0]!.data).toMatchObject({ competitionId: null, reason: 'malformed_commitment' });
    expect((appended[0]!.data as EventData<'SubmissionRejected'>).detail).toMatch(/^bad_repo_id: repo "no-revision"/);
  });

  it.each([
    ['unknown_competition', () => new SchedulerWorld().metagraph(), /no competition "mt10"/],
    ['inactive_competition', () => new SchedulerWorld().competition('mt10', {}, false).metagraph(), /not active/],
    [
      'inactive_competition',
      () => new SchedulerWorld().competition('mt10', { endsAt: '2026-03-01T11:00:00.000Z', startsAt: '2026-03-01T10:00:00.000Z' }).metagraph(),
      /closed at/,
    ],
    ['unregistered_hotkey', () => new SchedulerWorld().competition().metagraph([{ hotkey: OTHER_MINER }]), /not registered on subnet 7/],
  ] as const)('rejects %s after receiving it, without asking the Hub', (reason, world, detail) => {
    const { plan, types, appended } = submit(world());
    expect(plan.kind).toBe('decided');
    expect(types).toEqual(['SubmissionReceived', 'SubmissionRejected']);
    expect(appended[1]!.data).toMatchObject({ reason, competitionId: 'mt10' });
    expect((appended[1]!.data as EventData<'SubmissionRejected'>).detail).toMatch(detail);
  });

  it.each([
    ['repo_not_found', { kind: 'missing', what: 'repo', detail: 'miner/agent does not exist' }],
    ['revision_not_found', { kind: 'missing', what: 'revision', detail: 'abcdef01 is not a commit' }],
    ['too_large', found({ repoBytes: 1_000_001 })],
    ['no_manifest', found({ manifest: { ok: false, detail: 'no kinitro.json' } })],
  ] as [string, HubFindings][])('rejects %s from the Hub findings', (reason, findings) => {
    const { types, appended } = submit(ready(), findings);
    expect(types).toEqual(['SubmissionReceived', 'SubmissionRejected']);
    expect(appended[1]!.data).toMatchObject({ reason });
  });

  it('rejects a second accepted-before (hotkey, competition, full revision) as a duplicate, even committed as another prefix', () => {
    const world = ready();
    const first = submit(world);
    const second = submit(world, found(), rawCommitment({ revision: SHA }));
    expect(second.types).toEqual(['SubmissionReceived', 'SubmissionRejected']);
    expect(second.appended[1]!.data).toMatchObject({ reason: 'duplicate' });
    expect((second.appended[1]!.data as EventData<'SubmissionRejected'>).detail).toContain(first.appended[0]!.aggregateId);
  });

  it('rate-limits a miner per competition over the window, counting accepted submissions at the log’s time', () => {
    const world = ready();
    submit(world, found({ revision: '1'.repeat(40) }), rawCommitment({ revision: '1'.repeat(40) }));
    world.advance(60);
    submit(world, found({ revision: '2'.repeat(40) }), rawCommitment({ revision: '2'.repeat(40) }));
    world.advance(60);
    const third = submit(world, found({ revision: '3'.repeat(40) }), rawCommitment({ revision: '3'.repeat(40) }));
    expect(third.appended[1]!.data).toMatchObject({ reason: 'rate_limited' });
    world.advance(3600 - 60);
    const later = submit(world, found({ revision: '4'.repeat(40) }), rawCommitment({ revision: '4'.repeat(40) }));
    expect(later.types).toEqual(['SubmissionReceived', 'SubmissionAccepted']);
  });

  it('does not count another miner’s submissions against the limit', () => {
    const world = new SchedulerWorld()
      .competition('mt10', { submissionRateLimit: { count: 1, perSeconds: 3600 } })
      .metagraph([{ hotkey: MINER }, { hotkey: OTHER_MINER }]);
    submit(world);
    expect(submit(world, found({ revision: '5'.repeat(40) }), rawCommitment({ revision: '5'.repeat(40) }), OTHER_MINER).types).toEqual([
      'SubmissionReceived',
      'SubmissionAccepted',
    ]);
  });

  it('waits (received, still pending) while the subnet has no metagraph in the log', () => {
    const world = new SchedulerWorld().competition();
    const { plan, types } = submit(world);
    expect(plan.kind).toBe('wait');
    expect(types).toEqual(['SubmissionReceived']);
  });

  it('resumes a pending submission on redelivery without receiving it twice, and ignores it once decided', () => {
    const world = ready();
    const commitment = world.commit();
    const first = onCommitment(world.state, commitment);
    world.apply(first.kind === 'inspect' ? first.decisions : []);
    const again = onCommitment(world.state, commitment);
    expect(again).toMatchObject({ kind: 'inspect', decisions: [] });
    world.apply(judgeSubmission(world.state, commitment, found()));
    expect(onCommitment(world.state, commitment)).toMatchObject({ kind: 'ignore' });
    expect(judgeSubmission(world.state, commitment, found())).toEqual([]);
  });

  it('ignores commitments of another subnet', () => {
    const world = ready();
    const other = world.commit(rawCommitment(), MINER, NETUID + 1);
    expect(onCommitment(world.state, other).kind).toBe('ignore');
  });

  it('re-checks the competition after the Hub answered: deactivated meanwhile is a rejection', () => {
    const world = ready();
    const commitment = world.commit();
    const plan = onCommitment(world.state, commitment);
    world.apply(plan.kind === 'inspect' ? plan.decisions : []);
    world.record('competition', 'mt10', newEvent('CompetitionDeactivated', { competitionId: 'mt10', deactivatedBy: 'op' }));
    expect(typesOf(judgeSubmission(world.state, commitment, found()))).toEqual(['SubmissionRejected']);
  });
});

describe('scheduler: foreign text in a rejection is made storable', () => {
  /** The findings the Hub inspection reports for a kinitro.json the parser refuses. */
  const manifestFindings = (text: string): HubFindings => {
    const parsed = parseAgentManifest(text);
    if (parsed.ok) throw new Error('expected a manifest the parser refuses');
    return found({ manifest: { ok: false, detail: `kinitro.json: ${describeManifestIssues(parsed.issues)}` } });
  };

  it.each([
    ['a NUL byte (the parser quotes it)', '\u0000{"name": "agent"}'],
    ['a field name holding U+0000 and a lone surrogate', '{"na\\u0000me": 1, "x\\ud800": 2}'],
    ['thousands of unknown fields', JSON.stringify(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`field${i}`, i])))],
  ])('a kinitro.json with %s ends in a SubmissionRejected whose detail is storable and bounded', (_what, text) => {
    const { types, appended } = submit(ready(), manifestFindings(text));
    expect(types).toEqual(['SubmissionReceived', 'SubmissionRejected']);
    const { reason, detail } = appended[1]!.data as EventData<'SubmissionRejected'>;
    expect(reason).toBe('no_manifest');
    expect(isStorableText(detail)).toBe(true);
    expect(detail.length).toBeLessThanOrEqual(2000);
    expect(detail).toMatch(/^kinitro\.json: /);
  });
});
