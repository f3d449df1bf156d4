import { describe, expect, it } from '@jest/globals';
import { deriveId, newEvent } from '#contracts';
import { VALIDATOR_A, VALIDATOR_B } from '../testing/fixtures.js';
import { given } from '../testing/given-when-then.js';
import type { EvaluationCommand } from './commands.js';
import { evaluationDecider as decider } from './decider.js';
import { evaluationIdFor } from './ids.js';

const jobId = deriveId('job-1');
const ref = { evaluationId: evaluationIdFor(jobId, VALIDATOR_A), jobId, validator: VALIDATOR_A };
const summary = { episodes: 6, successRate: 0.5, meanReward: 12.5, tasks: [{ task: 'reach-v3', episodes: 6, successRate: 0.5, meanReward: 12.5 }] };

const claimed = newEvent('EvaluationClaimed', ref);
const started = newEvent('EvaluationStarted', { ...ref, evaluator: 'evaluator-1' });
const completed = newEvent('EvaluationCompleted', { ...ref, ...summary });
const failed = newEvent('EvaluationFailed', { ...ref, reason: 'agent_crashed', fault: 'miner', detail: 'exit 1' });
const cancelledEvent = newEvent('EvaluationCancelled', ref);
const timedOut = newEvent('JobTimedOut', { jobId, validator: VALIDATOR_A, deadline: '2026-03-01T12:10:00.000Z' });

const claim: EvaluationCommand = { type: 'ClaimEvaluation', jobId, validator: VALIDATOR_A };
const start: EvaluationCommand = { type: 'StartEvaluation', evaluator: 'evaluator-1' };
const complete: EvaluationCommand = { type: 'CompleteEvaluation', ...summary };
const fail: EvaluationCommand = { type: 'FailEvaluation', reason: 'agent_crashed', fault: 'miner', detail: 'exit 1' };
const cancel: EvaluationCommand = { type: 'CancelEvaluation' };
const commands = [claim, start, complete, fail, cancel];

const histories = {
  QUEUED: [],
  STARTING: [claimed],
  RUNNING: [claimed, started],
  COMPLETED: [claimed, started, completed],
  FAILED: [claimed, started, failed],
  TIMEOUT: [claimed, timedOut],
  CANCELLED: [claimed, cancelledEvent],
};

/** Which commands each status accepts; every other pair is an illegal transition. */
const legal: Record<keyof typeof histories, EvaluationCommand['type'][]> = {
  QUEUED: ['ClaimEvaluation'],
  STARTING: ['StartEvaluation', 'FailEvaluation', 'CancelEvaluation'],
  RUNNING: ['CompleteEvaluation', 'FailEvaluation', 'CancelEvaluation'],
  COMPLETED: [],
  FAILED: [],
  TIMEOUT: [],
  CANCELLED: [],
};

describe('evaluation decider', () => {
  it('walks QUEUED → STARTING → RUNNING → COMPLETED', () => {
    expect(given(decider).when(claim)).toEqual([claimed]);
    expect(given(decider, [claimed]).when(start)).toEqual([started]);
    expect(given(decider, [claimed, started]).when(complete)).toEqual([completed]);
    expect(given(decider, [claimed, started, completed]).state()).toMatchObject({ status: 'COMPLETED', successRate: 0.5 });
  });

  it('derives one evaluation id per (job, validator)', () => {
    expect(evaluationIdFor(jobId, VALIDATOR_A)).toBe(ref.evaluationId);
    expect(evaluationIdFor(jobId, VALIDATOR_B)).not.toBe(ref.evaluationId);
  });

  it('records the reason and who is at fault on failure', () => {
    expect(given(decider, [claimed, started]).when(fail)).toEqual([failed]);
    expect(given(decider, [claimed, started, failed]).state()).toMatchObject({ status: 'FAILED', reason: 'agent_crashed', fault: 'miner' });
  });

  it('makes what the agent printed storable and bounded before it becomes the failure detail', () => {
    const printed = `Traceback\u0000 \ud800${'x'.repeat(10_000)}`;
    const [event] = given(decider, [claimed, started]).when({ ...fail, detail: printed });
    const { detail } = event!.data as { detail: string };
    expect(detail.startsWith('Traceback\ufffd \ufffdx')).toBe(true);
    expect(detail).toHaveLength(4000);
  });

  it('cancels a running evaluation', () => {
    expect(given(decider, [claimed, started]).when(cancel)).toEqual([cancelledEvent]);
  });

  it('is TIMEOUT once its job timed it out, and ignores the timeout of another validator', () => {
    expect(given(decider, [claimed, timedOut]).state().status).toBe('TIMEOUT');
    const other = newEvent('JobTimedOut', { jobId, validator: VALIDATOR_B, deadline: '2026-03-01T12:10:00.000Z' });
    expect(given(decider, [claimed, other]).state().status).toBe('STARTING');
  });

  it('keeps a terminal status when a timeout arrives late', () => {
    expect(given(decider, [claimed, started, completed, timedOut]).state().status).toBe('COMPLETED');
  });

  for (const [status, history] of Object.entries(histories) as [keyof typeof histories, (typeof claimed)[]][]) {
    for (const command of commands.filter((c) => !legal[status].includes(c.type))) {
      it(`refuses ${command.type} from ${status} with a typed conflict`, () => {
        const error = given(decider, history).refuses(command);
        expect(error).toMatchObject({ code: 'conflict', details: { from: status, command: command.type } });
      });
    }
    for (const command of commands.filter((c) => legal[status].includes(c.type))) {
      it(`accepts ${command.type} from ${status}`, () => {
        expect(given(decider, history).when(command)).toHaveLength(1);
      });
    }
  }
});
