import { describe, expect, it } from '@jest/globals';
import { newEvent } from '#contracts';
import { evolveScheduler } from './evolve.js';
import { onCommitment } from './submissions.js';
import { initialSchedulerState } from './state.js';
import { NETUID, SchedulerWorld } from './testing/world.js';

describe('scheduler: the fold', () => {
  it('folds the same log into the same state, and a log folded twice (redelivery, start-up overlap) into the same state again', () => {
    const world = new SchedulerWorld().competition().metagraph();
    world.record('competition', 'mt10', newEvent('CompetitionUpdated', { competitionId: 'mt10', changes: { maxRepoBytes: 5 }, updatedBy: 'op' }));
    world.record('competition', 'mt10', newEvent('CompetitionUpdated', { competitionId: 'mt10', changes: { maxRepoBytes: 7 }, updatedBy: 'op' }));
    world.commit();
    const replayed = world.events.reduce(evolveScheduler, initialSchedulerState(NETUID));
    const twice = [...world.events, ...world.events].reduce(evolveScheduler, initialSchedulerState(NETUID));
    expect(replayed).toEqual(world.state);
    expect(twice).toEqual(world.state);
  });

  it('keeps the newer competition settings when an older event is redelivered', () => {
    const world = new SchedulerWorld().competition();
    const older = world.record('competition', 'mt10', newEvent('CompetitionUpdated', { competitionId: 'mt10', changes: { maxRepoBytes: 5 }, updatedBy: 'op' }));
    world.record('competition', 'mt10', newEvent('CompetitionUpdated', { competitionId: 'mt10', changes: { maxRepoBytes: 7 }, updatedBy: 'op' }));
    world.redeliver(older);
    expect(world.state.competitions.get('mt10')!.state).toMatchObject({ status: 'active', settings: { maxRepoBytes: 7 } });
  });

  it('remembers a commitment’s time only until its submission is folded, which keeps it (bounded memory)', () => {
    const world = new SchedulerWorld().competition().metagraph();
    const commitment = world.commit();
    expect([...world.state.commitments.keys()]).toEqual([commitment.eventId]);
    const plan = onCommitment(world.state, commitment);
    world.apply(plan.kind === 'inspect' ? plan.decisions : []);
    world.redeliver(commitment);
    expect(world.state.commitments.size).toBe(0);
    expect([...world.state.submissions.values()][0]!.committedAt).toBe(commitment.recordedAt);
  });

  it('keeps the latest metagraph of its own subnet only, and takes the log’s time as its clock', () => {
    const world = new SchedulerWorld().metagraph([{ hotkey: '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy' }]);
    world.advance(30).metagraph([], NETUID + 1);
    expect([...world.state.metagraph!.neurons.keys()]).toEqual(['5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy']);
    expect(world.state.clock).toBe(world.time);
  });
});
