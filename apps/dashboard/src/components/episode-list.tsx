import { num, short } from '../format.js';

/** What a list of recorded episodes shows of each (`GET /episodes` items). */
export interface EpisodeSummary {
  id: string;
  task: string;
  episodeIndex: number;
  seed: number;
  validator: string;
  success: boolean;
  totalReward: number;
  steps: number;
}

/** Recorded episodes, in the order given, each a link to the viewer with its outcome and validator. */
export const EpisodeList = ({ episodes, testId }: { episodes: EpisodeSummary[]; testId?: string }) => (
  <ul class="plain columns" data-testid={testId}>
    {episodes.map((e) => (
      <li key={e.id}>
        <a href={`/episodes/${e.id}`}>
          {e.task} #{e.episodeIndex} (seed {e.seed})
        </a>{' '}
        {e.success ? '✔ success' : '✘'} · reward {num(e.totalReward)} · {e.steps} steps · validator <span title={e.validator}>{short(e.validator)}</span>
      </li>
    ))}
  </ul>
);
