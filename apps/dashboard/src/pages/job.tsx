import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson, storedApiKey, type LoggedEvent, type Page } from '../api.js';
import { ApiKeyForm } from '../components/api-key.js';
import { EventTimeline, history } from '../components/event-timeline.js';
import { EvaluationCells } from '../components/job-cells.js';
import { EpisodeList, type EpisodeSummary } from '../components/episode-list.js';
import { Badge, Loaded } from '../components/status.js';
import { dateText, short } from '../format.js';
import { applyEvent, BOARD_EVENT_TYPES, mergeRows, type Board, type JobRow } from '../job-board.js';
import { openLiveFeed, type FeedState } from '../live-feed.js';
import { useResource, type Resource } from '../use-resource.js';

interface Job {
  id: string;
  submissionId: string;
  competitionId: string;
  hotkey: string;
  repo: string;
  revision: string;
  benchmarkName: string;
  deadline: string;
  cancelled: boolean;
  cancelReason: string | null;
  createdAt: string;
}

/** The evaluator's own log of an evaluation (`EvaluatorLogDto`), its URL minted when the logs were read. */
interface EvaluatorLog {
  evaluator: string;
  episodeId: string;
  bytes: number;
  url: string | null;
}

interface EpisodeAttempt {
  episodeId: string;
  task: string;
  episodeIndex: number;
  seed: number;
  state: string;
  attempt: number | null;
  evaluator: string | null;
  verdict: string | null;
  fault: string | null;
  reason: string | null;
  evaluatorLog: EvaluatorLog | null;
}

interface EvaluationLog {
  evaluationId: string | null;
  validator: string;
  episodes: EpisodeAttempt[];
  evaluatorLogs: EvaluatorLog[];
}

interface JobStory {
  job: Job;
  rows: JobRow[];
  recorded: EpisodeSummary[];
  events: LoggedEvent[];
  readAt: number;
}

/** The job, its row per validator (with the running episodes), its recorded episodes, and every event of it, its evaluations and their episodes. */
const readStory = async (id: string): Promise<JobStory> => {
  const [job, rows, recorded] = await Promise.all([
    getJson<Job>(`/jobs/${id}`),
    getJson<Page<JobRow>>(`/jobs/${id}/status?limit=200`).then((p) => p.items),
    getJson<Page<EpisodeSummary>>(`/episodes?job=${id}&limit=200`).then((p) => p.items),
  ]);
  const evaluations = rows.flatMap((r) => (r.evaluationId ? [r.evaluationId] : []));
  const episodes = new Set([...recorded.map((e) => e.id), ...rows.flatMap((r) => r.running.map((e) => e.episodeId))]);
  const logs = await Promise.all([history('job', id), ...evaluations.map((e) => history('evaluation', e)), ...[...episodes].map((e) => history('episode', e))]);
  return { job, rows, recorded, events: logs.flat().sort((a, b) => a.streamSequence - b.streamSequence), readAt: Date.now() };
};

const LogLink = ({ log }: { log: EvaluatorLog }) =>
  log.url ? (
    <a href={log.url} target="_blank" rel="noopener">
      evaluator log of {log.evaluator} ({log.bytes} B)
    </a>
  ) : (
    <span class="muted">evaluator log of {log.evaluator}: no URL from this store</span>
  );

/** The evaluators' logs, read only with a key (the route needs one; without, no request is made, so none fails). */
const EvaluatorLogs = ({ id, onKey, keyed }: { id: string; onKey: () => void; keyed: number }) => {
  const key = storedApiKey.get();
  const logs = useResource(
    () => (key ? getJson<{ evaluations: EvaluationLog[] }>(`/jobs/${id}/logs`).then((l) => l.evaluations) : Promise.resolve(null)),
    [id, keyed],
  );
  return (
    <section aria-labelledby="logs-heading">
      <h2 id="logs-heading">Evaluator logs</h2>
      {!key && <p class="muted">What each evaluator did (agent start, sandbox limits, episodes, verdicts, errors) needs an API key of any role.</p>}
      <ApiKeyForm onChange={onKey} />
      <Loaded resource={logs}>
        {(evaluations) =>
          evaluations && (
            <table data-testid="job-logs">
              <thead>
                <tr>
                  <th scope="col">Validator</th>
                  <th scope="col">Each evaluator’s log</th>
                  <th scope="col">Episodes (latest attempt)</th>
                </tr>
              </thead>
              <tbody>
                {evaluations.map((e) => (
                  <tr key={e.validator} data-testid={`logs-${e.validator}`}>
                    <td title={e.validator}>{short(e.validator)}</td>
                    <td>
                      {e.evaluatorLogs.length === 0 ? <span class="muted">none yet</span> : e.evaluatorLogs.map((l) => <LogLink key={l.evaluator} log={l} />)}
                    </td>
                    <td>
                      <ul class="plain">
                        {e.episodes.map((a) => (
                          <li key={a.episodeId}>
                            {a.task} #{a.episodeIndex} · {a.state}
                            {a.attempt && a.attempt > 1 ? ` (attempt ${a.attempt})` : ''} on {a.evaluator ?? '?'}
                            {a.verdict && ` · ${a.verdict} (${a.fault}): ${a.reason}`}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
};

/** The job's events the feed brought, as the audit routes give them (the feed's envelope with its sequence). */
const withSequence = ({ streamSequence, event }: { streamSequence: number; event: unknown }): LoggedEvent => ({ ...(event as LoggedEvent), streamSequence });

/** Every event once, in log order: the story's reads and the feed overlap. */
const inLogOrder = (events: LoggedEvent[]): LoggedEvent[] =>
  [...new Map(events.map((e) => [e.streamSequence, e])).values()].sort((a, b) => a.streamSequence - b.streamSequence);

/**
 * `/jobs/:id`: one job across its validators — state, progress, failures, episodes, the evaluators' logs and every
 * event behind it — live: read once the feed's snapshot has fixed where it starts (as the board does), then each of
 * the job's events folds into its validator's row and the timeline at once, and the story is re-read for the rest
 * (episodes, heartbeats) once a burst is over; a read older than what the rows applied does not move them back.
 */
export const JobPage = ({ id }: { id: string }) => {
  const [keyed, setKeyed] = useState(0);
  const [story, setStory] = useState<Resource<JobStory>>({ state: 'loading' });
  const [board, setBoard] = useState<Board>(new Map());
  const [fed, setFed] = useState<LoggedEvent[]>([]);
  const [feed, setFeed] = useState<FeedState>('connecting');
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let current = true;
    const read = () =>
      readStory(id).then(
        (value) => {
          if (!current) return;
          setStory({ state: 'ready', value });
          setBoard((b) => mergeRows(b, value.rows));
        },
        (error: unknown) => current && setStory({ state: 'failed', error: (error as Error).message }),
      );
    const close = openLiveFeed({
      types: BOARD_EVENT_TYPES,
      onState: setFeed,
      onSnapshot: () => void read(),
      onEvent: (event) => {
        if (event.event.data.jobId !== id) return;
        setBoard((b) => applyEvent(b, event));
        setFed((f) => [...f, withSequence(event)]);
        clearTimeout(pending.current);
        pending.current = setTimeout(() => void read(), 500);
      },
    });
    return () => {
      current = false;
      close();
      clearTimeout(pending.current);
    };
  }, [id]);

  return (
    <Loaded resource={story}>
      {({ job, recorded, events, readAt }) => {
        const rows = [...board.values()].sort((a, b) => a.validator.localeCompare(b.validator));
        return (
          <>
            <h1>
              Job <span title={job.id}>{short(job.id)}</span> {job.cancelled && <Badge value="CANCELLED" />}
            </h1>
            <p>
              Live feed:{' '}
              <span data-testid="feed-state" class={`feed feed-${feed}`}>
                {feed}
              </span>
            </p>
            <dl class="facts">
              <dt>Submission</dt>
              <dd>
                <a href={`/submissions/${job.submissionId}`}>{short(job.submissionId)}</a> by <span title={job.hotkey}>{short(job.hotkey)}</span>
              </dd>
              <dt>Agent</dt>
              <dd>
                {job.repo} @ <code>{job.revision}</code>
              </dd>
              <dt>Competition, benchmark</dt>
              <dd>
                {job.competitionId}, {job.benchmarkName}
              </dd>
              <dt>Created, deadline</dt>
              <dd>
                {dateText(job.createdAt)}, {dateText(job.deadline)}
              </dd>
              {job.cancelReason && (
                <>
                  <dt>Cancelled</dt>
                  <dd>{job.cancelReason}</dd>
                </>
              )}
            </dl>
            <section aria-labelledby="validators-heading">
              <h2 id="validators-heading">Validators</h2>
              {rows.length === 0 ? (
                <p class="muted">No validator has claimed it yet.</p>
              ) : (
                <table data-testid="job-validators">
                  <thead>
                    <tr>
                      <th scope="col">Validator</th>
                      <th scope="col">State</th>
                      <th scope="col">Episodes done</th>
                      <th scope="col">Running episodes</th>
                      <th scope="col">Failure</th>
                      <th scope="col">Events</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.validator} data-testid={`validator-${row.validator}`}>
                        <td title={row.validator}>{short(row.validator)}</td>
                        <EvaluationCells row={row} readAt={readAt} now={readAt} />
                        <td>{row.evaluationId ? <a href={`/events/evaluation/${row.evaluationId}`}>evaluation</a> : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="episodes-heading">
              <h2 id="episodes-heading">Recorded episodes</h2>
              {recorded.length === 0 ? (
                <p class="muted">None recorded yet.</p>
              ) : (
                <EpisodeList
                  episodes={recorded.sort((a, b) => a.validator.localeCompare(b.validator) || a.task.localeCompare(b.task) || a.episodeIndex - b.episodeIndex)}
                  testId="job-episodes"
                />
              )}
            </section>
            <EvaluatorLogs id={id} keyed={keyed} onKey={() => setKeyed((k) => k + 1)} />
            <EventTimeline events={inLogOrder([...events, ...fed])} testId="job-events" />
          </>
        );
      }}
    </Loaded>
  );
};
