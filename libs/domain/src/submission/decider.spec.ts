import { describe, expect, it } from '@jest/globals';
import { deriveId, newEvent } from '#contracts';
import { HOTKEY, REVISION } from '../testing/fixtures.js';
import { given } from '../testing/given-when-then.js';
import type { SubmissionOrigin } from './commands.js';
import { submissionDecider as decider } from './decider.js';

const origin: SubmissionOrigin = { submissionId: deriveId('s1'), hotkey: HOTKEY, block: 100, commitmentEventId: deriveId('c1') };
const committed = { competitionId: 'mt10', repo: 'miner/agent', revision: REVISION.slice(0, 7) };
const received = newEvent('SubmissionReceived', { ...origin, ...committed });
const accepted = newEvent('SubmissionAccepted', { ...origin, ...committed, revision: REVISION, repoBytes: 1234 });
const rejected = newEvent('SubmissionRejected', { ...origin, competitionId: 'mt10', reason: 'too_large', detail: '2 GB' });
const accept = { type: 'AcceptSubmission' as const, revision: REVISION, repoBytes: 1234 };
const reject = { type: 'RejectSubmission' as const, reason: 'repo_not_found' as const, detail: '404' };

describe('submission decider', () => {
  it('receives a decoded commitment as a pending submission', () => {
    expect(given(decider).when({ type: 'ReceiveSubmission', ...origin, ...committed })).toEqual([received]);
    expect(given(decider, [received]).state()).toMatchObject({ status: 'pending', repo: 'miner/agent' });
  });

  it('refuses to receive the same submission twice', () => {
    expect(given(decider, [received]).refuses({ type: 'ReceiveSubmission', ...origin, ...committed }).code).toBe('conflict');
  });

  it('accepts a pending submission with the full revision its prefix resolved to', () => {
    expect(given(decider, [received]).when(accept)).toEqual([accepted]);
    expect(given(decider, [received, accepted]).state()).toMatchObject({ status: 'accepted', revision: REVISION, repoBytes: 1234 });
  });

  it('refuses a resolved revision that does not extend the committed one', () => {
    const error = given(decider, [received]).refuses({ ...accept, revision: 'b'.repeat(40) });
    expect(error).toMatchObject({ code: 'invalid', details: { field: 'revision' } });
  });

  it('refuses a resolved revision that is not a full sha', () => {
    expect(given(decider, [received]).refuses({ ...accept, revision: 'aaaaaaa' }).message).toContain('revision');
  });

  it('rejects a pending submission with the reason', () => {
    expect(given(decider, [received]).when(reject)).toEqual([
      newEvent('SubmissionRejected', { ...origin, competitionId: 'mt10', reason: 'repo_not_found', detail: '404' }),
    ]);
  });

  it('rejects a commitment that never decoded, without a competition', () => {
    const events = given(decider).when({ type: 'RejectSubmission', reason: 'malformed_commitment', detail: 'bad bytes', origin });
    expect(events).toEqual([newEvent('SubmissionRejected', { ...origin, competitionId: null, reason: 'malformed_commitment', detail: 'bad bytes' })]);
  });

  it('refuses to accept or reject a submission it never received', () => {
    expect(given(decider).refuses(accept).code).toBe('not_found');
    expect(given(decider).refuses(reject).code).toBe('not_found');
  });

  it.each([
    ['accepted', accepted],
    ['rejected', rejected],
  ])('refuses every further command once %s', (status, terminal) => {
    const history = given(decider, [received, terminal]);
    expect(history.state().status).toBe(status);
    expect(history.refuses(accept).code).toBe('conflict');
    expect(history.refuses(reject).code).toBe('conflict');
    expect(history.refuses({ type: 'ReceiveSubmission', ...origin, ...committed }).code).toBe('conflict');
  });
});
