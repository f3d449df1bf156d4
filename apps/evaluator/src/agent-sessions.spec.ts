import { describe, expect, it } from '@jest/globals';
import type { AgentSession, SessionResult } from '#agent';
import { eventually } from '#testing';
import { AgentSessions } from './agent-sessions.js';

/** Stands in for a real session (that needs a sandboxed process; the int specs run those): it only records its end. */
const fakeSession = () => {
  const ends: string[] = [];
  const session = {
    close: async () => (ends.push('close'), { outcome: {} }),
    kill: async (reason: string) => (ends.push(`kill: ${reason}`), {}),
  } as unknown as AgentSession;
  return { session, ends };
};
const opener = (session: AgentSession) => {
  let opened = 0;
  return { open: async (): Promise<SessionResult<AgentSession>> => (opened++, { ok: true, value: session }), count: () => opened };
};
const logger = { log: () => undefined, error: () => undefined, warn: () => undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('AgentSessions', () => {
  it('keeps one session per evaluation across its items and closes it once idle', async () => {
    const sessions = new AgentSessions(300, logger);
    const { session, ends } = fakeSession();
    const { open, count } = opener(session);
    await sessions.acquire('e1', open);
    sessions.release('e1');
    await sleep(150);
    // The next item within the idle time gets the same agent, and its idle clock starts over.
    expect(await sessions.acquire('e1', open)).toEqual({ ok: true, value: session });
    sessions.release('e1');
    await sleep(150);
    expect(count()).toBe(1);
    expect(ends).toEqual([]);
    await eventually('closed once idle', () => ends.length > 0, 2_000);
    expect(ends).toEqual(['close']);
    // Closed: the evaluation's next item opens a fresh one.
    await sessions.acquire('e1', open);
    expect(count()).toBe(2);
    await sessions.killAll('test over');
  });

  it('forgets a failed session without closing it again, and keeps evaluations apart', async () => {
    const sessions = new AgentSessions(10_000, logger);
    const a = fakeSession();
    const b = fakeSession();
    await sessions.acquire('e1', opener(a.session).open);
    await sessions.acquire('e2', opener(b.session).open);
    sessions.discard('e1');
    await sessions.close('e1', 'evaluation over');
    await sessions.close('e2', 'evaluation over');
    expect(a.ends).toEqual([]);
    expect(b.ends).toEqual(['close']);
  });

  it('kills every agent at shutdown, in use or idle, and opens no more', async () => {
    const sessions = new AgentSessions(10_000, logger);
    const busy = fakeSession();
    const idle = fakeSession();
    await sessions.acquire('busy', opener(busy.session).open);
    await sessions.acquire('idle', opener(idle.session).open);
    sessions.release('idle');
    await sessions.killAll('shutting down');
    expect([busy.ends, idle.ends]).toEqual([['kill: shutting down'], ['kill: shutting down']]);
    await expect(sessions.acquire('later', opener(fakeSession().session).open)).rejects.toThrow(/shutting down/);
  });
});
