import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../errors.js';
import { cancellationRefusal, rerunRuling, type RerunFacts, type RerunTarget, type RequestJobFacts, type Ruling } from './request-rules.js';

// Given the facts (a submission and its jobs, or a job), when a request arrives, then the ruling. The API and the
// scheduler both call these functions, so these are the rules of both.

const SUBMISSION = 'sub-1';
const reach: RequestJobFacts = { jobId: 'job-reach', benchmarkName: 'reach', rerunOf: null };
const push: RequestJobFacts = { jobId: 'job-push', benchmarkName: 'push', rerunOf: null };
const reachAgain: RequestJobFacts = { jobId: 'job-reach-again', benchmarkName: 'reach', rerunOf: 'job-reach' };

const given = (submission: RerunFacts['submission']) => ({
  when: (target: Partial<RerunTarget>) => ({
    then: (expected: Ruling<string[]> | { refusedWith: { code: DomainError['code']; message: string; details?: Record<string, unknown> } }) => {
      const ruling = rerunRuling({ submissionId: SUBMISSION, submission }, { benchmarks: null, jobId: null, ...target });
      if ('refusedWith' in expected) {
        expect(ruling.ok).toBe(false);
        const { refusal } = ruling as { refusal: DomainError };
        expect(refusal).toBeInstanceOf(DomainError);
        expect({ code: refusal.code, message: refusal.message, details: refusal.details }).toEqual({ details: {}, ...expected.refusedWith });
      } else {
        expect(ruling).toEqual(expected);
      }
    },
  }),
});
const accepted = (...jobs: RequestJobFacts[]) => ({ status: 'accepted', jobs });

describe('rerun rule', () => {
  it('reruns every original job of an accepted submission when the request names nothing, never a rerun again', () => {
    given(accepted(reach, push, reachAgain))
      .when({})
      .then({ ok: true, value: ['job-reach', 'job-push'] });
  });

  it('reruns the original jobs of the named benchmarks', () => {
    given(accepted(reach, push, reachAgain))
      .when({ benchmarks: ['reach'] })
      .then({ ok: true, value: ['job-reach'] });
  });

  it('reruns one named job of the submission, a rerun included', () => {
    given(accepted(reach, push, reachAgain))
      .when({ jobId: 'job-reach-again' })
      .then({ ok: true, value: ['job-reach-again'] });
  });

  it('refuses a submission nobody knows as not found', () => {
    given(null)
      .when({})
      .then({ refusedWith: { code: 'not_found', message: 'submission sub-1 not found' } });
  });

  it('refuses a submission that is not accepted as a conflict, naming its status', () => {
    for (const status of ['pending', 'rejected']) {
      given({ status, jobs: [] })
        .when({})
        .then({
          refusedWith: {
            code: 'conflict',
            message: `submission sub-1 is ${status}; only accepted submissions have jobs`,
            details: { submissionStatus: status },
          },
        });
    }
  });

  it('refuses a job of another submission, naming the field', () => {
    given(accepted(reach))
      .when({ jobId: 'job-elsewhere' })
      .then({ refusedWith: { code: 'invalid', message: 'job job-elsewhere is not a job of submission sub-1', details: { field: 'jobId' } } });
  });

  it('refuses the whole request when one benchmark is unknown, listing the unknown ones', () => {
    given(accepted(reach, push))
      .when({ benchmarks: ['reach', 'nope', 'gone'] })
      .then({
        refusedWith: { code: 'invalid', message: 'submission sub-1 has no benchmark nope, gone', details: { field: 'benchmarks', unknown: ['nope', 'gone'] } },
      });
  });

  it('refuses naming both benchmarks and a job before looking at the submission', () => {
    given(null)
      .when({ benchmarks: ['reach'], jobId: 'job-reach' })
      .then({ refusedWith: { code: 'invalid', message: 'name benchmarks or a job to rerun, not both', details: { fields: ['benchmarks', 'jobId'] } } });
  });
});

describe('cancellation rule', () => {
  it('lets an open job be cancelled', () => {
    expect(cancellationRefusal({ jobId: 'job-1', job: { cancelled: false } })).toBeNull();
  });

  it('refuses a job nobody knows as not found, and a cancelled one as a conflict', () => {
    expect(cancellationRefusal({ jobId: 'job-1', job: null })).toMatchObject({ code: 'not_found', message: 'job job-1 not found' });
    expect(cancellationRefusal({ jobId: 'job-1', job: { cancelled: true } })).toMatchObject({
      code: 'conflict',
      message: 'job job-1 is already cancelled',
      details: { jobStatus: 'cancelled' },
    });
  });
});
