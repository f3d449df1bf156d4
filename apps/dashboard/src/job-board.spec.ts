import { describe, expect, it } from '@jest/globals';
import { applyEvent, mergeRows, rowKey, type Board, type FeedEvent } from './job-board.js';

const JOB = '11111111-1111-4111-8111-111111111111';
const V = '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw';
const EVAL = '22222222-2222-4222-8222-222222222222';
const ref = { jobId: JOB, validator: V, evaluationId: EVAL };

const at = (streamSequence: number, type: string, data: Record<string, unknown> = {}): FeedEvent => ({
  streamSequence,
  event: { type, data: { ...ref, ...data } },
});

const fold = (events: FeedEvent[], board: Board = new Map()) => events.reduce(applyEvent, board);
const row = (board: Board) => board.get(rowKey(JOB, V))!;

describe('the live job board', () => {
  it('follows an evaluation from claim to failure, with who holds which episode', () => {
    const board = fold([
      at(10, 'EvaluationClaimed', { plannedEpisodes: 4 }),
      at(11, 'EvaluationStarted', { evaluator: 'ev-1' }),
      at(12, 'EpisodeStarted', { episodeId: 'e1', task: 'reach-v3', episodeIndex: 0, seed: 1, evaluator: 'ev-1', attempt: 1 }),
      at(13, 'EpisodeStarted', { episodeId: 'e2', task: 'reach-v3', episodeIndex: 1, seed: 2, evaluator: 'ev-2', attempt: 1 }),
      at(14, 'EpisodeRecorded', { episodeId: 'e1' }),
    ]);
    expect(row(board)).toMatchObject({ status: 'RUNNING', evaluator: 'ev-1', plannedEpisodes: 4, episodesDone: 1, lastSequence: 14 });
    expect(row(board).running.map((e) => [e.episodeId, e.evaluator])).toEqual([['e2', 'ev-2']]);
    const failed = fold(
      [
        at(15, 'EpisodeFailed', { episodeId: 'e2', verdict: 'CRASH', fault: 'miner', reason: 'exit 1', stderrTail: 'boom', evaluator: 'ev-2', attempt: 1 }),
        at(16, 'EvaluationFailed', { reason: 'agent_crashed', fault: 'miner', detail: 'exit 1', verdict: 'CRASH', stderrTail: 'boom' }),
      ],
      board,
    );
    expect(row(failed)).toMatchObject({ status: 'FAILED', verdict: 'CRASH', fault: 'miner', stderrTail: 'boom', episodesFailed: 1, running: [] });
  });

  it('applies an event once: a replayed sequence changes nothing', () => {
    const once = fold([at(10, 'EvaluationClaimed'), at(11, 'EpisodeRecorded', { episodeId: 'e1' })]);
    expect(fold([at(11, 'EpisodeRecorded', { episodeId: 'e1' })], once)).toBe(once);
    expect(row(once).episodesDone).toBe(1);
  });

  it('keeps what the feed said over a read model that has not caught up, and takes a newer read', () => {
    const live = fold([at(20, 'EvaluationStarted', { evaluator: 'ev-1' })]);
    const stale = mergeRows(live, [{ jobId: JOB, validator: V, status: 'STARTING', lastSequence: 19 }]);
    expect(row(stale).status).toBe('RUNNING');
    const newer = mergeRows(live, [{ jobId: JOB, validator: V, status: 'COMPLETED', episodesDone: 4, lastSequence: 25 }]);
    expect(row(newer)).toMatchObject({ status: 'COMPLETED', episodesDone: 4 });
  });

  it('ignores events that are not about a job × validator', () => {
    const board: Board = new Map();
    expect(applyEvent(board, { streamSequence: 1, event: { type: 'CompetitionCreated', data: { competitionId: 'mt1' } } })).toBe(board);
  });
});

describe('running episodes across reads', () => {
  const started = (seq: number, episodeId: string) =>
    at(seq, 'EpisodeStarted', { episodeId, task: 'reach-v3', episodeIndex: 0, seed: 1, evaluator: 'ev-1', attempt: 1 });
  const beat = { step: 40, maxSteps: 80, ageMs: 900 };
  const running = (episodeId: string, lastSequence: number) => ({
    episodeId,
    task: 'reach-v3',
    episodeIndex: 0,
    evaluator: 'ev-1',
    attempt: 1,
    heartbeat: beat,
    lastSequence,
  });

  it('takes the heartbeat of a read whose row has not moved since the episode started (EpisodeStarted does not count on the row)', () => {
    const live = fold([at(10, 'EvaluationStarted', { evaluator: 'ev-1' }), started(11, 'e1')]);
    expect(row(live).lastSequence).toBe(10);
    const read = mergeRows(live, [{ jobId: JOB, validator: V, status: 'RUNNING', lastSequence: 10, running: [running('e1', 11)] }]);
    expect(row(read).running).toEqual([running('e1', 11)]);
  });

  it('keeps an episode the feed started after the read, and drops one the read saw end', () => {
    const live = fold([at(10, 'EvaluationStarted', { evaluator: 'ev-1' }), started(11, 'e1'), started(12, 'e2')]);
    const read = mergeRows(live, [{ jobId: JOB, validator: V, status: 'RUNNING', lastSequence: 10, running: [running('e1', 11)] }]);
    expect(row(read).running.map((e) => e.episodeId)).toEqual(['e1', 'e2']);
    const ended = mergeRows(live, [{ jobId: JOB, validator: V, status: 'RUNNING', episodesDone: 2, lastSequence: 14, running: [] }]);
    expect(row(ended).running).toEqual([]);
  });

  it('updates heartbeats even when the read is older than the row', () => {
    const live = fold([at(10, 'EvaluationStarted', { evaluator: 'ev-1' }), started(11, 'e1'), at(13, 'EpisodeRecorded', { episodeId: 'e0' })]);
    const read = mergeRows(live, [{ jobId: JOB, validator: V, status: 'RUNNING', lastSequence: 10, running: [running('e1', 11)] }]);
    expect(row(read)).toMatchObject({ episodesDone: 1, lastSequence: 13 });
    expect(row(read).running[0]!.heartbeat).toEqual(beat);
  });
});
