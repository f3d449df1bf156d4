import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { eventCatalogue, type RecordedEvent, type RecordedEventOf } from '#contracts';
import { arbitraryLogs, goldenEvents } from '../../contracts/src/testing/arbitrary-log.js';
import { competitionDecider } from './competition/decider.js';
import { evaluationDecider } from './evaluation/decider.js';
import { jobDecider } from './job/decider.js';
import { dueTimeouts, nextDeadline } from './scheduler/deadlines.js';
import { foldScheduler } from './scheduler/evolve.js';
import { onCancellationRequested, onRerunRequested, onSubmissionAccepted } from './scheduler/jobs.js';
import { initialSchedulerState } from './scheduler/state.js';
import { judgeSubmission, onCommitment, type HubFindings } from './scheduler/submissions.js';
import { submissionDecider } from './submission/decider.js';
import { decideValidator } from './validator/decide.js';
import { foldValidator } from './validator/evolve.js';
import { replan } from './validator/plan.js';
import { initialValidatorState } from './validator/state.js';

/**
 * Totality: every fold and every reaction of the domain survives any valid event of the catalogue in any order
 * (`arbitraryLogs`); a fold that throws on an event it did not expect crash-loops whoever folds it.
 */
const golden = goldenEvents();
const NETUID = golden.find((e) => e.type === 'MetagraphSynced')!.data.netuid;
const arbitraryLog = arbitraryLogs(golden, { extraNetuids: [NETUID + 1] });

const findings: HubFindings[] = [
  { kind: 'missing', what: 'repo', detail: 'gone' },
  { kind: 'found', revision: 'a'.repeat(40), repoBytes: 10, manifest: { ok: true } },
  { kind: 'found', revision: 'b'.repeat(40), repoBytes: 10 ** 12, manifest: { ok: false, detail: 'no kinitro.json' } },
];

const RUNS = { seed: 20261201, numRuns: 300 };

describe('every fold and reaction is total over the catalogue', () => {
  it('the golden log holds every event type of the catalogue', () => {
    expect(new Set(golden.map((e) => e.type))).toEqual(new Set(eventCatalogue.map((d) => d.type)));
  });

  it.each([
    ['competition', competitionDecider],
    ['submission', submissionDecider],
    ['job', jobDecider],
    ['evaluation', evaluationDecider],
  ] as const)('%s: evolve and apply never throw, and evolve keeps the state when apply refuses', (_name, decider) => {
    fc.assert(
      fc.property(arbitraryLog, (log) => {
        let state: unknown = decider.initialState();
        for (const event of log) {
          const applied = decider.apply(state as never, event as never);
          const evolved = decider.evolve(state as never, event as never);
          expect(evolved).toEqual('unapplied' in (applied as object) ? state : applied);
          state = evolved;
        }
      }),
      RUNS,
    );
  });

  it('the scheduler folds and reacts to any log without throwing, and says why for what it cannot fold', () => {
    fc.assert(
      fc.property(arbitraryLog, fc.constantFrom(...findings), (log, found) => {
        const state = initialSchedulerState(NETUID);
        for (const event of log) {
          const unfolded = foldScheduler(state, event);
          if (unfolded !== undefined) expect(unfolded).toMatch(/\S/);
          else react(state, event, found);
          dueTimeouts(state, state.clock!);
          nextDeadline(state);
        }
      }),
      RUNS,
    );
  });

  it('the validator folds and decides over any log without throwing, as any validator of the log, and says why for what it cannot fold', () => {
    const validators = [...new Set(golden.flatMap((e) => ('validator' in (e.data as object) ? [(e.data as { validator: string }).validator] : [])))];
    fc.assert(
      fc.property(arbitraryLog, fc.constantFrom(...validators), fc.integer({ min: 1, max: 3 }), (log, validator, capacity) => {
        const state = initialValidatorState(validator, capacity);
        for (const event of log) {
          const folded = foldValidator(state, event);
          if (folded.unfolded !== undefined) expect(folded.unfolded).toMatch(/\S/);
          const decisions = decideValidator(state);
          for (const decision of decisions) expect(decision.events.length).toBeGreaterThan(0);
          const claims = decisions.filter((d) => d.events.some((e) => e.type === 'EvaluationClaimed')).length;
          expect(claims).toBeLessThanOrEqual(Math.max(0, capacity - state.open.size));
        }
        replan(state, new Map([...state.evaluations.keys()].map((id) => [id, new Set([0])])));
      }),
      RUNS,
    );
  });

  it('names an EvaluationCompleted for an evaluation nobody claimed, and keeps the evaluation as it was', () => {
    const completed = golden.find((e) => e.type === 'EvaluationCompleted')! as unknown as RecordedEventOf<'EvaluationCompleted'>;
    expect(evaluationDecider.apply({ status: 'QUEUED' }, completed)).toEqual({
      unapplied: 'EvaluationCompleted for an evaluation that is QUEUED (never claimed)',
    });
    expect(evaluationDecider.evolve({ status: 'QUEUED' }, completed)).toEqual({ status: 'QUEUED' });
  });
});

const react = (state: ReturnType<typeof initialSchedulerState>, event: RecordedEvent, found: HubFindings): void => {
  switch (event.type) {
    case 'CommitmentObserved': {
      const plan = onCommitment(state, event);
      if (plan.kind === 'inspect') judgeSubmission(state, event, found);
      return;
    }
    case 'SubmissionAccepted':
      onSubmissionAccepted(state, event);
      return;
    case 'RerunRequested':
      onRerunRequested(state, event);
      return;
    case 'JobCancellationRequested':
      onCancellationRequested(state, event);
      return;
    default:
      return;
  }
};
