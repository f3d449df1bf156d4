import type { LoggerService } from '@nestjs/common';
import type { AgentSession, SessionResult } from '#agent';

interface Held {
  session: AgentSession;
  idle?: NodeJS.Timeout;
}

/**
 * The agent sessions of this evaluator, one per evaluation: kept open across that evaluation's work items (the
 * agent loads its weights once; runAgentEpisode sends Reset before every episode), closed when idle, when the
 * evaluation ends, after a failed episode (the runtime has already killed it) and at shutdown.
 */
export class AgentSessions {
  private readonly held = new Map<string, Held>();
  private closed = false;

  constructor(
    private readonly idleMs: number,
    private readonly logger: LoggerService,
  ) {}

  /** The evaluation's open session, or a new one from `open`; the caller hands it back with `release` or `discard`. */
  async acquire(evaluationId: string, open: () => Promise<SessionResult<AgentSession>>): Promise<SessionResult<AgentSession>> {
    if (this.closed) throw new Error('the evaluator is shutting down');
    const held = this.held.get(evaluationId);
    if (held) {
      clearTimeout(held.idle);
      held.idle = undefined;
      return { ok: true, value: held.session };
    }
    const opened = await open();
    if (opened.ok) {
      if (this.closed) {
        await opened.value.kill('the evaluator is shutting down');
        throw new Error('the evaluator is shutting down');
      }
      this.held.set(evaluationId, { session: opened.value });
    }
    return opened;
  }

  /** The episode is over and the session is healthy: it waits for the evaluation's next item, at most idleMs. */
  release(evaluationId: string): void {
    const held = this.held.get(evaluationId);
    if (!held || this.closed) return;
    clearTimeout(held.idle);
    held.idle = setTimeout(() => void this.close(evaluationId, 'idle'), this.idleMs);
    held.idle.unref();
  }

  /** The session failed (its process is gone): forget it, the next item opens a fresh one. */
  discard(evaluationId: string): void {
    const held = this.held.get(evaluationId);
    if (!held) return;
    clearTimeout(held.idle);
    this.held.delete(evaluationId);
  }

  /** Shuts the evaluation's agent down (Shutdown, then kill if it lingers). */
  async close(evaluationId: string, why: string): Promise<void> {
    const held = this.held.get(evaluationId);
    if (!held) return;
    this.discard(evaluationId);
    const { verdict } = await held.session.close();
    this.logger.log?.(`closed the agent session of evaluation ${evaluationId} (${why})${verdict ? `: ${verdict.kind} ${verdict.reason}` : ''}`);
  }

  /** At shutdown: refuses new sessions and kills every agent now, including one in the middle of an episode. */
  async killAll(reason: string): Promise<void> {
    this.closed = true;
    const all = [...this.held.entries()];
    this.held.clear();
    await Promise.all(
      all.map(async ([, held]) => {
        clearTimeout(held.idle);
        await held.session.kill(reason);
      }),
    );
  }
}
