import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#domain';
import { InMemoryEventLog, InMemoryEventStore } from '#eventing';
import { AdminCompetitionsService } from './admin-competitions.service.js';
import type { CreateCompetitionBody } from './admin-competitions.dto.js';

// The service with the in-memory event store (held to the JetStream one by the event-log contract suite): what it
// appends, and the domain errors the HTTP edge maps, without NATS or Nest.

const admin = { name: 'ops', role: 'admin' as const, keyId: null };
const body = (id: string): CreateCompetitionBody => ({
  id,
  name: 'MetaWorld 10',
  benchmarks: [{ name: 'reach', provider: 'control', tasks: ['reach'], episodesPerTask: 2, maxSteps: 100, timeoutSeconds: 600 }],
  weightShare: 1,
  maxRepoBytes: 1_000_000,
  submissionRateLimit: { count: 1, perSeconds: 86_400 },
});

const setUp = () => {
  const log = new InMemoryEventLog();
  const store = new InMemoryEventStore(log, { producer: { app: 'api', version: 'test' } });
  return { log, store, service: new AdminCompetitionsService(store) };
};

describe('AdminCompetitionsService', () => {
  it('creates, activates and deactivates a competition, answering with each appended event and its stream position', async () => {
    const { store, service } = setUp();
    expect(await service.create(body('mt10'), admin)).toEqual({
      events: [{ eventId: expect.any(String), type: 'CompetitionCreated', aggregateId: 'mt10', aggregateVersion: 1, streamSequence: 1 }],
    });
    expect((await service.activate('mt10', admin)).events).toMatchObject([{ type: 'CompetitionActivated', aggregateVersion: 2, streamSequence: 2 }]);
    expect((await service.deactivate('mt10', { reason: 'season over' }, admin)).events).toMatchObject([
      { type: 'CompetitionDeactivated', aggregateVersion: 3 },
    ]);
    const { events } = await store.load('competition', 'mt10');
    expect(events.map((e) => e.type)).toEqual(['CompetitionCreated', 'CompetitionActivated', 'CompetitionDeactivated']);
    expect(events[0]!.data).toMatchObject({ competitionId: 'mt10', name: 'MetaWorld 10', createdBy: 'ops' });
    expect(events[2]!.data).toMatchObject({ reason: 'season over', deactivatedBy: 'ops' });
  });

  it('answers activating an active competition with no events', async () => {
    const { service } = setUp();
    await service.create(body('mt10'), admin);
    await service.activate('mt10', admin);
    expect(await service.activate('mt10', admin)).toEqual({ events: [] });
  });

  it('refuses a second creation as a conflict and an update of a missing competition as not found, appending nothing', async () => {
    const { log, service } = setUp();
    await service.create(body('mt10'), admin);
    const again = service.create(body('mt10'), admin);
    await expect(again).rejects.toBeInstanceOf(DomainError);
    await expect(again).rejects.toMatchObject({ code: 'conflict' });
    const missing = service.update('ghost', { name: 'x' }, admin);
    await expect(missing).rejects.toBeInstanceOf(DomainError);
    await expect(missing).rejects.toMatchObject({ code: 'not_found' });
    expect(log.lastSequence).toBe(1);
  });

  it('of two concurrent creations of one id, exactly one is accepted', async () => {
    const { log, service } = setUp();
    const results = await Promise.allSettled([service.create(body('race'), admin), service.create(body('race'), admin)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(log.lastSequence).toBe(1);
  });
});
