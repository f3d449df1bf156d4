import { getJson, getOptional, type LoggedEvent, type Page } from '../api.js';
import { EpisodeList, type EpisodeSummary } from '../components/episode-list.js';
import { EventTimeline, history } from '../components/event-timeline.js';
import { Badge, Loaded } from '../components/status.js';
import { num, percent, short } from '../format.js';
import { useResource } from '../use-resource.js';
import { shares } from '../weights-series.js';

interface Submission {
  id: string;
  competitionId: string | null;
  hotkey: string;
  block: number;
  repo: string | null;
  revision: string | null;
  status: string;
  rejectionReason: string | null;
  rejectionDetail: string | null;
  commitmentEventId: string;
  receivedAt: string;
  evaluation?: { state: string; jobs: number; reruns: number; statuses: Record<string, number> };
}

interface Job {
  id: string;
  benchmarkName: string;
  createdAt: string;
  cancelled: boolean;
}

interface Result {
  evaluationId: string;
  jobId: string;
  validator: string;
  episodes: number;
  successRate: number;
  meanReward: number;
  successInterval: { low: number; high: number } | null;
}

/** The chain commitment the submission came from (`GET /commitments`, matched by its event id). */
interface Commitment {
  streamSequence: number;
  eventId: string;
  netuid: number;
  uid: number | null;
  block: number;
  blockHash: string;
  raw: string;
  valid: boolean;
  observedAt: string;
}

interface SubmissionStory {
  submission: Submission;
  commitment: Commitment | null;
  jobs: Job[];
  results: Result[];
  episodes: EpisodeSummary[];
  events: LoggedEvent[];
  /** The scoring events (ScoresComputed, WeightsComputed, WeightsCommitted, WeightsSet) that name the submission or its uid. */
  scoring: LoggedEvent[];
}

const SCORING = new Set(['ScoresComputed', 'WeightsComputed', 'WeightsCommitted', 'WeightsSet']);

/** Whether a scoring event involves the submission: its score entry names it (or its uid), or its vector has the uid. */
const involves = (e: LoggedEvent, submissionId: string, uid: number): boolean =>
  e.type === 'ScoresComputed'
    ? (e.data.scores as { uid: number; submissionId?: string }[]).some(
        (s) => s.submissionId === submissionId || (s.submissionId === undefined && s.uid === uid),
      )
    : SCORING.has(e.type) && (e.data.uids as number[]).includes(uid);

/** What one scoring event gives the submission's uid: its score, or its share of the vector. */
const forUid = (e: LoggedEvent, uid: number): string => {
  if (e.type === 'ScoresComputed') {
    const entry = (e.data.scores as { uid: number; score: number; role?: string; reason?: string }[]).find((s) => s.uid === uid);
    return entry ? `score ${num(entry.score, 4)}${entry.role ? ` · ${entry.role}` : ''}${entry.reason ? ` · ${entry.reason}` : ''}` : '';
  }
  const i = (e.data.uids as number[]).indexOf(uid);
  return `weight ${percent(shares(e.data.weights as number[])[i])}${e.data.block === undefined ? '' : ` at block ${e.data.block}`}`;
};

/** Every validator's scoring events on the netuid that involve the submission (the weights aggregates' audit logs, filtered). */
const readScoring = async (netuid: number, uid: number, submissionId: string): Promise<LoggedEvent[]> => {
  const validators = (await getJson<{ items: { validator: string }[] }>(`/weights?netuid=${netuid}`)).items.map((w) => w.validator);
  const logs = await Promise.all(validators.map((v) => history('weights', `${netuid}:${v}`)));
  return logs.flat().filter((e) => involves(e, submissionId, uid));
};

/** The submission, its jobs, their evaluations' results and episodes, and every event of those aggregates in log order. */
const readStory = async (id: string): Promise<SubmissionStory> => {
  const [submission, jobs, results, episodes] = await Promise.all([
    getJson<Submission>(`/submissions/${id}`),
    getJson<Page<Job>>(`/jobs?submission=${id}&limit=200`).then((p) => p.items),
    getJson<Page<Result>>(`/results?submission=${id}&limit=200`).then((p) => p.items),
    getJson<Page<EpisodeSummary>>(`/episodes?submission=${id}&limit=200`).then((p) =>
      p.items.sort((a, b) => a.task.localeCompare(b.task) || a.episodeIndex - b.episodeIndex),
    ),
  ]);
  const evaluations = (await Promise.all(jobs.map((j) => getJson<Page<{ evaluationId: string | null }>>(`/jobs/${j.id}/status?limit=200`)))).flatMap((p) =>
    p.items.map((r) => r.evaluationId).filter((e): e is string => e !== null),
  );
  const commitment =
    (await getJson<Page<Commitment>>(`/commitments?miner=${submission.hotkey}&limit=200`)).items.find((c) => c.eventId === submission.commitmentEventId) ??
    null;
  const observed = commitment
    ? getOptional<{ event: LoggedEvent | null }>(`/events/${commitment.streamSequence}`).then((e) =>
        e?.event ? [{ ...e.event, streamSequence: commitment.streamSequence }] : [],
      )
    : Promise.resolve([]);
  const logs = await Promise.all([
    observed,
    history('submission', id),
    ...jobs.map((j) => history('job', j.id)),
    ...evaluations.map((e) => history('evaluation', e)),
  ]);
  const scoring = commitment?.uid == null ? [] : await readScoring(commitment.netuid, commitment.uid, id);
  const events = [...logs.flat(), ...scoring].sort((a, b) => a.streamSequence - b.streamSequence);
  return { submission, commitment, jobs, results, episodes, events, scoring };
};

export const SubmissionPage = ({ id }: { id: string }) => {
  const story = useResource(() => readStory(id), [id]);
  return (
    <Loaded resource={story}>
      {({ submission: s, commitment, jobs, results, episodes, events, scoring }) => (
        <>
          <h1>
            Submission <span title={s.id}>{short(s.id)}</span> <Badge value={s.status} />
          </h1>
          <dl class="facts">
            <dt>Miner</dt>
            <dd>{s.hotkey}</dd>
            <dt>Competition</dt>
            <dd>{s.competitionId ?? '—'}</dd>
            <dt>Commitment</dt>
            <dd>
              block {s.block} · event <code>{s.commitmentEventId}</code>
              {commitment && (
                <>
                  {' '}
                  · netuid {commitment.netuid}, uid {commitment.uid ?? '—'} · block hash <code>{short(commitment.blockHash, 18)}</code> · bytes{' '}
                  <code>{short(commitment.raw, 42)}</code>
                  {commitment.valid ? '' : ' (does not decode)'}
                </>
              )}
            </dd>
            <dt>Repository</dt>
            <dd>
              {s.repo ?? '—'} @ <code>{s.revision ?? '—'}</code>
            </dd>
            {s.rejectionReason && (
              <>
                <dt>Rejected</dt>
                <dd>
                  {s.rejectionReason}: {s.rejectionDetail}
                </dd>
              </>
            )}
            {s.evaluation && (
              <>
                <dt>Evaluation</dt>
                <dd>
                  {s.evaluation.state} · {s.evaluation.jobs} job(s), {s.evaluation.reruns} rerun(s)
                </dd>
              </>
            )}
          </dl>
          <section aria-labelledby="results-heading">
            <h2 id="results-heading">Results</h2>
            {results.length === 0 ? (
              <p class="muted">No results yet ({jobs.length} job(s)).</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Validator</th>
                    <th scope="col">Episodes</th>
                    <th scope="col">Success rate (95% interval)</th>
                    <th scope="col">Mean reward</th>
                  </tr>
                </thead>
                <tbody>
                  {results.map((r) => (
                    <tr key={r.evaluationId}>
                      <td title={r.validator}>{short(r.validator)}</td>
                      <td>{r.episodes}</td>
                      <td>
                        {percent(r.successRate)}
                        {r.successInterval && (
                          <span class="muted">
                            {' '}
                            [{percent(r.successInterval.low)}, {percent(r.successInterval.high)}]
                          </span>
                        )}
                      </td>
                      <td>{num(r.meanReward)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {episodes.length > 0 && (
            <section aria-labelledby="episodes-heading">
              <h2 id="episodes-heading">Episodes</h2>
              <EpisodeList episodes={episodes} />
            </section>
          )}
          {commitment?.uid != null && (
            <section aria-labelledby="scoring-heading">
              <h2 id="scoring-heading">Scores and weights of uid {commitment.uid}</h2>
              {scoring.length === 0 ? (
                <p class="muted">No validator has scored it or set a weight on its uid yet.</p>
              ) : (
                <table data-testid="submission-scoring">
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">Validator</th>
                      <th scope="col">For this submission</th>
                    </tr>
                  </thead>
                  <tbody>
                    {scoring.map((e) => (
                      <tr key={e.streamSequence}>
                        <td>
                          <a href={`/events/weights/${encodeURIComponent(e.aggregateId)}`}>
                            #{e.streamSequence} {e.type}
                          </a>
                        </td>
                        <td title={String(e.data.validator)}>{short(String(e.data.validator))}</td>
                        <td>{forUid(e, commitment.uid!)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <p>
                <a href={`/weights?netuid=${commitment.netuid}&uid=${commitment.uid}`}>weights history of uid {commitment.uid}</a>
              </p>
            </section>
          )}
          <EventTimeline events={events} testId="submission-events" />
        </>
      )}
    </Loaded>
  );
};
