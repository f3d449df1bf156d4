import type { RecordedEvent } from '#contracts';
import { describeRejection, judgeEvent } from '#domain';
import { applyEvent, planLoads } from './handlers.js';
import { Fold, type BatchChanges, type LoadedRows } from './fold.js';
import { foldJudgeView, planJudgeLoads } from './judge-guard.js';
import { LoadPlan } from './load-plan.js';

/** The rows a batch needs to see before folding (the judge's and the handlers'). */
export const loadPlanFor = (events: readonly RecordedEvent[]): LoadPlan => {
  const plan = planLoads(events, new LoadPlan());
  planJudgeLoads(events, plan);
  return plan;
};

/**
 * Pure: folds a batch (in stream order) over the rows it touches and returns what to write. A validator-side event
 * the judge rejects (libs/domain/src/validation) changes no row: it is recorded in rejected_events with the reason.
 */
export const projectBatch = (events: readonly RecordedEvent[], loaded: LoadedRows): BatchChanges => {
  const folding = projectingBatch(events, loaded, Infinity);
  for (;;) {
    const step = folding.next();
    if (step.done) return step.value;
  }
};

/** projectBatch as steps of `slice` events: a caller can let other work run between them. */
export function* projectingBatch(events: readonly RecordedEvent[], loaded: LoadedRows, slice: number): Generator<undefined, BatchChanges> {
  const fold = new Fold(loaded);
  const view = foldJudgeView(fold);
  for (let i = 0; i < events.length; i++) {
    if (i > 0 && i % slice === 0) yield;
    const event = events[i]!;
    fold.begin(event);
    const rejection = judgeEvent(event, view);
    if (rejection) fold.reject(event, describeRejection(rejection));
    else applyEvent(event, fold);
  }
  return fold.changes();
}
