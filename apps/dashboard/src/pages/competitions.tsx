import { wilsonInterval } from '../../../../libs/domain/src/stats/wilson.js';
import { API, getJson, getOptional, hasRoute, type Page } from '../api.js';
import { Loaded } from '../components/status.js';
import { num, percent, short } from '../format.js';
import { useResource } from '../use-resource.js';

interface Competition {
  id: string;
  name: string;
  description: string;
  active: boolean;
  benchmarks: { name: string; tasks: string[]; episodesPerTask: number }[];
  winMargin: number;
  minValidators: number;
}

interface LeaderboardEntry {
  rank: number;
  hotkey: string;
  successRate: number;
  meanReward: number;
  validators: number;
  episodes: number;
  firstSubmissionId: string | null;
  firstBlock: number | null;
  successInterval?: { low: number; high: number };
}

/** One entry of a ScoresComputed as `/competitions/{id}/scores` gives it (not on every API: the panel hides without it). */
interface ScoreEntry {
  hotkey: string;
  score: number;
  role: 'champion' | 'challenger' | 'ineligible' | null;
  rank: number | null;
  reason: string | null;
  interval: { low: number; high: number } | null;
}

/** Each validator's latest computation for the competition. */
interface CompetitionScores {
  computations: { validator: string; streamSequence: number; entries: ScoreEntry[] }[];
}

/** The entries of the most recent computation (by stream sequence), or none. */
const latestEntries = (scores: CompetitionScores | null | undefined): ScoreEntry[] =>
  [...(scores?.computations ?? [])].sort((a, b) => b.streamSequence - a.streamSequence)[0]?.entries ?? [];

/**
 * The API's interval when it gives one; otherwise the 95% Wilson interval of the pooled episodes (the rate is a mean
 * over validators, so successes are rounded from rate × episodes).
 */
const intervalOf = (entry: LeaderboardEntry) =>
  entry.successInterval ?? wilsonInterval(Math.min(entry.episodes, Math.round(entry.successRate * entry.episodes)), entry.episodes);

const Leaderboard = ({ competition }: { competition: Competition }) => {
  const board = useResource(() => getJson<Page<LeaderboardEntry>>(`/competitions/${encodeURIComponent(competition.id)}/leaderboard`), [competition.id]);
  const scores = useResource(
    async () =>
      (await hasRoute(`${API}/competitions/{id}/scores`)) ? getOptional<CompetitionScores>(`/competitions/${encodeURIComponent(competition.id)}/scores`) : null,
    [competition.id],
  );
  const entries = scores.state === 'ready' ? latestEntries(scores.value) : [];
  return (
    <section aria-labelledby={`competition-${competition.id}`} class="card">
      <h2 id={`competition-${competition.id}`}>
        {competition.name}{' '}
        <span class="muted">
          ({competition.id}
          {competition.active ? '' : ', inactive'})
        </span>
      </h2>
      <p class="muted">
        {competition.benchmarks.map((b) => `${b.name}: ${b.tasks.length} tasks × ${b.episodesPerTask} episodes`).join(' · ')} · win margin{' '}
        {percent(competition.winMargin)} · at least {competition.minValidators} validator(s) · <a href="/weights">weights set on chain, per uid</a>
      </p>
      <Loaded resource={board}>
        {(page) =>
          page.items.length === 0 ? (
            <p class="muted">No results yet.</p>
          ) : (
            <table data-testid={`leaderboard-${competition.id}`}>
              <caption>Leaderboard by success rate</caption>
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Miner</th>
                  <th scope="col">Success rate (95% interval)</th>
                  <th scope="col">Mean reward</th>
                  <th scope="col">Validators</th>
                  <th scope="col">Episodes</th>
                  <th scope="col">First submission</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((entry) => {
                  const interval = intervalOf(entry);
                  return (
                    <tr key={entry.hotkey}>
                      <td>{entry.rank}</td>
                      <td title={entry.hotkey}>{short(entry.hotkey, 10)}</td>
                      <td>
                        {percent(entry.successRate)}{' '}
                        <span class="muted">
                          [{percent(interval.low)}, {percent(interval.high)}]
                        </span>
                      </td>
                      <td>{num(entry.meanReward)}</td>
                      <td>{entry.validators}</td>
                      <td>{entry.episodes}</td>
                      <td>{entry.firstSubmissionId ? <a href={`/submissions/${entry.firstSubmissionId}`}>block {entry.firstBlock ?? '?'}</a> : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Loaded>
      {entries.length > 0 && (
        <table data-testid={`scores-${competition.id}`}>
          <caption>Champion and challengers</caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Miner</th>
              <th scope="col">Score</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((s) => (
              <tr key={s.hotkey}>
                <td>
                  {s.role ?? '—'}
                  {s.rank ? ` #${s.rank}` : ''}
                </td>
                <td title={s.hotkey}>{short(s.hotkey, 10)}</td>
                <td>
                  {num(s.score)}
                  {s.interval && (
                    <span class="muted">
                      {' '}
                      [{percent(s.interval.low)}, {percent(s.interval.high)}]
                    </span>
                  )}
                </td>
                <td>{s.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

export const CompetitionsPage = () => {
  const competitions = useResource(() => getJson<Page<Competition>>('/competitions?limit=50'), []);
  return (
    <>
      <h1>Competitions</h1>
      <Loaded resource={competitions}>
        {(page) => (page.items.length === 0 ? <p class="muted">No competitions.</p> : page.items.map((c) => <Leaderboard key={c.id} competition={c} />))}
      </Loaded>
    </>
  );
};
