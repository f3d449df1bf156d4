import { getJson, type Episode, type Page } from '../api.js';
import { Loaded } from '../components/status.js';
import { num, short } from '../format.js';
import { useResource } from '../use-resource.js';

/** The filters `GET /episodes` takes that this page passes through from its own address. */
const FILTERS = ['submission', 'job', 'evaluation', 'validator', 'task', 'success'] as const;

export const EpisodesPage = ({ query }: { query: URLSearchParams }) => {
  const filters = new URLSearchParams(FILTERS.flatMap((f) => (query.has(f) ? [[f, query.get(f)!]] : [])));
  const search = filters.toString();
  const episodes = useResource(() => getJson<Page<Episode>>(`/episodes?limit=200${search ? `&${search}` : ''}`), [search]);
  return (
    <>
      <h1>Episodes</h1>
      {search && <p class="muted">Filtered by {[...filters].map(([k, v]) => `${k} ${short(v, 12)}`).join(', ')}</p>}
      <Loaded resource={episodes}>
        {(page) =>
          page.items.length === 0 ? (
            <p class="muted">No recorded episodes.</p>
          ) : (
            <table data-testid="episodes">
              <caption>
                {page.items.length} of {page.total} recorded episodes
              </caption>
              <thead>
                <tr>
                  <th scope="col">Episode</th>
                  <th scope="col">Seed</th>
                  <th scope="col">Validator</th>
                  <th scope="col">Job</th>
                  <th scope="col">Steps</th>
                  <th scope="col">Reward</th>
                  <th scope="col">Success</th>
                  <th scope="col">Cameras</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <a href={`/episodes/${e.id}`}>
                        {e.task} #{e.episodeIndex}
                      </a>
                    </td>
                    <td>{e.seed}</td>
                    <td title={e.validator}>{short(e.validator)}</td>
                    <td title={e.jobId}>
                      <a href={`/episodes?job=${e.jobId}`}>{short(e.jobId)}</a>
                    </td>
                    <td>{e.steps}</td>
                    <td>{num(e.totalReward)}</td>
                    <td>{e.success ? 'yes' : 'no'}</td>
                    <td>{e.frames.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </>
  );
};
