import type { JobRow } from '../job-board.js';
import { ageText, short } from '../format.js';
import { Badge } from './status.js';

/** Episodes done of planned, with the failed ones. */
export const Progress = ({ row }: { row: JobRow }) => {
  const total = row.plannedEpisodes;
  return (
    <span>
      {row.episodesDone} / {total ?? '?'}
      {row.episodesFailed > 0 && <span class="error"> ({row.episodesFailed} failed)</span>}
      {total ? <progress max={total} value={row.episodesDone} aria-label={`episodes done of ${total}`} /> : null}
    </span>
  );
};

/** Which evaluator holds which running episode, with its heartbeat's age as of `now` (read at `readAt`). */
export const Running = ({ row, readAt, now }: { row: JobRow; readAt: number; now: number }) =>
  row.running.length === 0 ? (
    <span class="muted">—</span>
  ) : (
    <ul class="plain">
      {row.running.map((e) => (
        <li key={e.episodeId}>
          {e.task} #{e.episodeIndex} on <span title={e.evaluator ?? ''}>{short(e.evaluator, 16)}</span>
          {e.attempt && e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}
          {e.heartbeat ? (
            <span class="muted">
              {' '}
              · step {e.heartbeat.step}/{e.heartbeat.maxSteps} · heartbeat {ageText(e.heartbeat.ageMs + (now - readAt))} ago
            </span>
          ) : (
            <span class="muted"> · no heartbeat yet</span>
          )}
        </li>
      ))}
    </ul>
  );

/** The failure's verdict and fault, its detail and the agent's stderr tail, one click away. */
export const Failure = ({ row }: { row: JobRow }) =>
  row.status !== 'FAILED' && !row.stderrTail ? null : (
    <details>
      <summary>
        {row.verdict ?? row.reason ?? 'failed'} · fault: {row.fault ?? '?'}
      </summary>
      {row.detail && <p>{row.detail}</p>}
      {row.stderrTail && (
        <pre aria-label="agent stderr (tail)" tabIndex={0}>
          {row.stderrTail}
        </pre>
      )}
    </details>
  );

/** The cells of one job × validator row that the board and the job page share: state, progress, running episodes, failure. */
export const EvaluationCells = ({ row, readAt, now }: { row: JobRow; readAt: number; now: number }) => (
  <>
    <td data-testid="job-state">
      <Badge value={row.status} />
    </td>
    <td>
      <Progress row={row} />
    </td>
    <td>
      <Running row={row} readAt={readAt} now={now} />
    </td>
    <td>
      <Failure row={row} />
    </td>
  </>
);
