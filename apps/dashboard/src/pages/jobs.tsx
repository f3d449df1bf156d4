import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { getJson, type Page } from '../api.js';
import { EvaluationCells } from '../components/job-cells.js';
import { short } from '../format.js';
import { applyEvent, BOARD_EVENT_TYPES, mergeRows, type Board, type JobRow } from '../job-board.js';
import { openLiveFeed, type FeedState } from '../live-feed.js';

const ACTIVE = new Set(['STARTING', 'RUNNING']);
/** Heartbeats live in a key-value bucket, not the log: running jobs are re-read this often for them. */
const HEARTBEAT_REFRESH_MS = 5000;

/** Every job × validator row, then `running` (holder and heartbeat per episode) for the jobs in flight. */
const readBoard = async (): Promise<JobRow[]> => {
  const rows = (await getJson<Page<JobRow>>('/job-status?limit=200')).items;
  const active = [...new Set(rows.filter((r) => ACTIVE.has(r.status)).map((r) => r.jobId))];
  const detailed = await Promise.all(active.map((id) => getJson<Page<JobRow>>(`/jobs/${id}/status?limit=200`).then((p) => p.items)));
  const running = new Map(detailed.flat().map((r) => [`${r.jobId}/${r.validator}`, r.running]));
  return rows.map((r) => ({ ...r, running: running.get(`${r.jobId}/${r.validator}`) ?? [] }));
};

export const JobsPage = () => {
  const [board, setBoard] = useState<Board>(new Map());
  const [feed, setFeed] = useState<FeedState>('connecting');
  const [error, setError] = useState<string | null>(null);
  const [readAt, setReadAt] = useState(Date.now());
  const [now, setNow] = useState(Date.now());
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refresh = useCallback(() => {
    readBoard().then(
      (rows) => {
        setReadAt(Date.now());
        setBoard((b) => mergeRows(b, rows));
        setError(null);
      },
      (e: unknown) => setError((e as Error).message),
    );
  }, []);
  /** Job-level events (a new job, a cancellation) re-read the board once the burst is over. */
  const refreshSoon = useCallback(() => {
    clearTimeout(pending.current);
    pending.current = setTimeout(refresh, 300);
  }, [refresh]);

  useEffect(() => {
    // The board is read once the snapshot has fixed where the feed starts, so no event falls between the two.
    const close = openLiveFeed({
      types: BOARD_EVENT_TYPES,
      onState: setFeed,
      onSnapshot: refresh,
      onEvent: (event) => {
        setBoard((b) => applyEvent(b, event));
        if (event.event.type.startsWith('Job') || event.event.type === 'EvaluationClaimed') refreshSoon();
      },
    });
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      close();
      clearInterval(tick);
      clearTimeout(pending.current);
    };
  }, []);

  const anyRunning = [...board.values()].some((r) => ACTIVE.has(r.status));
  useEffect(() => {
    if (!anyRunning) return;
    const timer = setInterval(refresh, HEARTBEAT_REFRESH_MS);
    return () => clearInterval(timer);
  }, [anyRunning]);

  const rows = [...board.values()].sort((a, b) => b.lastSequence - a.lastSequence);
  return (
    <>
      <h1>Jobs</h1>
      <p>
        Live feed:{' '}
        <span data-testid="feed-state" class={`feed feed-${feed}`}>
          {feed}
        </span>
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {rows.length === 0 ? (
        <p class="muted">No job has been claimed by a validator yet.</p>
      ) : (
        <table data-testid="job-board">
          <caption>Every job × validator, updated from the live feed</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Competition</th>
              <th scope="col">Miner</th>
              <th scope="col">Validator</th>
              <th scope="col">State</th>
              <th scope="col">Episodes done</th>
              <th scope="col">Running episodes</th>
              <th scope="col">Failure</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.jobId}/${row.validator}`} data-testid={`job-${row.jobId}-${row.validator}`}>
                <td title={row.jobId}>
                  <a href={`/jobs/${row.jobId}`}>{short(row.jobId)}</a>
                  <br />
                  <a href={`/episodes?job=${row.jobId}`}>episodes</a> · <a href={`/events/job/${row.jobId}`}>events</a>
                  {row.evaluationId && (
                    <>
                      {' '}
                      · <a href={`/events/evaluation/${row.evaluationId}`}>evaluation</a>
                    </>
                  )}
                </td>
                <td>{row.competitionId ?? '—'}</td>
                <td title={row.miner ?? ''}>{short(row.miner)}</td>
                <td title={row.validator}>{short(row.validator)}</td>
                <EvaluationCells row={row} readAt={readAt} now={now} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
