import { describe, expect, it } from '@jest/globals';
import { deriveId, newEvent, type EventData } from '#contracts';
import { benchmark, HOTKEY, REVISION, VALIDATOR_A, VALIDATOR_B } from '../testing/fixtures.js';
import { given } from '../testing/given-when-then.js';
import type { CreateJob } from './commands.js';
import { jobDecider as decider } from './decider.js';
import { episodeSeed } from './seeds.js';

const jobId = deriveId('job-1');
const create: CreateJob = {
  type: 'CreateJob',
  jobId,
  submissionId: deriveId('s1'),
  competitionId: 'mt10',
  hotkey: HOTKEY,
  repo: 'miner/agent',
  revision: REVISION,
  benchmark: benchmark({ timeoutSeconds: 600 }),
  causedAt: '2026-03-01T12:00:00.000Z',
};
const [created] = given(decider).when(create);
const createdData = created!.data as EventData<'JobCreated'>;
const cancelled = newEvent('JobCancelled', { jobId, reason: 'miner withdrew', requestedBy: 'alice' });
const afterDeadline = '2026-03-01T12:10:00.000Z';
const timeOut = { type: 'TimeOutJob' as const, validator: VALIDATOR_A, evaluationStatus: 'RUNNING' as const, now: afterDeadline };

describe('job decider', () => {
  describe('CreateJob', () => {
    it('freezes the benchmark with one seed per episode and a deadline from the cause’s time', () => {
      expect(createdData).toMatchObject({ jobId, competitionId: 'mt10', deadline: '2026-03-01T12:10:00.000Z', rerunOf: null });
      expect(createdData.benchmark).toMatchObject(benchmark({ timeoutSeconds: 600 }));
      expect(createdData.benchmark.seeds).toHaveLength(6);
      expect(new Set(createdData.benchmark.seeds).size).toBe(6);
    });

    it('derives the same seeds from the same job id, and other seeds from another', () => {
      const [again] = given(decider).when(create);
      const [other] = given(decider).when({ ...create, jobId: deriveId('job-2') });
      expect((again!.data as EventData<'JobCreated'>).benchmark.seeds).toEqual(createdData.benchmark.seeds);
      expect((other!.data as EventData<'JobCreated'>).benchmark.seeds).not.toEqual(createdData.benchmark.seeds);
    });

    it('finds an episode’s seed by task and index', () => {
      expect(episodeSeed(createdData.benchmark, 'push-v3', 1)).toBe(createdData.benchmark.seeds[4]);
      expect(() => episodeSeed(createdData.benchmark, 'push-v3', 3)).toThrow(RangeError);
    });

    it('refuses to create a job twice', () => {
      expect(given(decider, [created!]).refuses(create).code).toBe('conflict');
    });

    it('refuses an invalid benchmark, naming the field', () => {
      const error = given(decider).refuses({ ...create, benchmark: benchmark({ episodesPerTask: 0 }) });
      expect(error.code).toBe('invalid');
      expect(error.message).toContain('benchmark.episodesPerTask');
    });

    it('records what the job reruns', () => {
      const rerunOf = deriveId('job-0');
      expect(given(decider).when({ ...create, rerunOf })[0]!.data).toMatchObject({ rerunOf });
    });
  });

  describe('TimeOutJob', () => {
    it('times out one validator whose evaluation is not terminal, after the deadline', () => {
      expect(given(decider, [created!]).when(timeOut)).toEqual([newEvent('JobTimedOut', { jobId, validator: VALIDATOR_A, deadline: createdData.deadline })]);
    });

    it('times out a validator that never claimed the job', () => {
      expect(given(decider, [created!]).when({ ...timeOut, evaluationStatus: 'QUEUED' })).toHaveLength(1);
    });

    it('refuses before the deadline', () => {
      expect(given(decider, [created!]).refuses({ ...timeOut, now: '2026-03-01T12:09:59.999Z' }).code).toBe('conflict');
    });

    it.each(['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const)('refuses a validator whose evaluation is %s', (status) => {
      expect(given(decider, [created!]).refuses({ ...timeOut, evaluationStatus: status }).code).toBe('conflict');
    });

    it('refuses to time out the same validator twice, but times out the others', () => {
      const timedOut = newEvent('JobTimedOut', { jobId, validator: VALIDATOR_A, deadline: createdData.deadline });
      expect(given(decider, [created!, timedOut]).refuses(timeOut).code).toBe('conflict');
      expect(given(decider, [created!, timedOut]).when({ ...timeOut, validator: VALIDATOR_B })).toHaveLength(1);
    });

    it('refuses a job that does not exist', () => {
      expect(given(decider).refuses(timeOut).code).toBe('not_found');
    });
  });

  describe('CancelJob', () => {
    it('cancels an open job', () => {
      expect(given(decider, [created!]).when({ type: 'CancelJob', reason: 'miner withdrew', by: 'alice' })).toEqual([cancelled]);
    });

    it('refuses everything once cancelled', () => {
      const history = given(decider, [created!, cancelled]);
      expect(history.state().status).toBe('cancelled');
      expect(history.refuses({ type: 'CancelJob', reason: 'again', by: 'alice' }).code).toBe('conflict');
      expect(history.refuses(timeOut).code).toBe('conflict');
      expect(history.refuses(create).code).toBe('conflict');
    });

    it('refuses a job that does not exist', () => {
      expect(given(decider).refuses({ type: 'CancelJob', reason: 'x', by: 'alice' }).code).toBe('not_found');
    });
  });
});
