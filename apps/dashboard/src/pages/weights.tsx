import { getJson, type Page } from '../api.js';
import { PALETTE, SeriesChart } from '../components/series-chart.js';
import { Loaded } from '../components/status.js';
import { dateText, percent, short } from '../format.js';
import { useResource } from '../use-resource.js';
import { shares, weightsSeries, type WeightsRecord } from '../weights-series.js';

/** Sets per page (the route's largest page): the chart and the table show one window of them, newest first. */
const SETS = 200;

/** The address of the same view at another offset (the window of SETS sets it starts at). */
const atOffset = (query: URLSearchParams, offset: number): string => {
  const next = new URLSearchParams(query);
  if (offset > 0) next.set('offset', String(offset));
  else next.delete('offset');
  const search = next.toString();
  return `/weights${search ? `?${search}` : ''}`;
};

/** Which sets of how many this window shows, and links to the newer and older windows. */
const Pager = ({ query, offset, shown, total }: { query: URLSearchParams; offset: number; shown: number; total: number }) => (
  <nav aria-label="Weight sets" class="pager" data-testid="weights-pager">
    {offset > 0 ? <a href={atOffset(query, Math.max(0, offset - SETS))}>← newer sets</a> : <span class="muted">← newer sets</span>}{' '}
    <span data-testid="weights-window">
      sets {total === 0 ? 0 : offset + 1}–{offset + shown} of {total}
    </span>{' '}
    {offset + shown < total ? <a href={atOffset(query, offset + SETS)}>older sets →</a> : <span class="muted">older sets →</span>}
  </nav>
);

const byValidator = (records: WeightsRecord[]): Map<string, WeightsRecord[]> => {
  const groups = new Map<string, WeightsRecord[]>();
  for (const r of records) groups.set(`${r.netuid}:${r.validator}`, [...(groups.get(`${r.netuid}:${r.validator}`) ?? []), r]);
  return groups;
};

const ValidatorWeights = ({ records, uid }: { records: WeightsRecord[]; uid: number | null }) => {
  const { netuid, validator } = records[0]!;
  const series = weightsSeries(records);
  const shown = series.uids.map((u, i) => ({ uid: u, values: series.byUid[i]! })).filter((s) => uid === null || s.uid === uid);
  const sets = records.filter((r) => r.kind === 'set' && r.block !== null).sort((a, b) => b.block! - a.block!);
  const id = `weights-${netuid}-${validator}`;
  return (
    <section aria-labelledby={`${id}-heading`} data-testid={id}>
      <h2 id={`${id}-heading`}>
        Validator <span title={validator}>{short(validator)}</span> on netuid {netuid}
      </h2>
      {shown.length === 0 ? (
        <p class="muted">No weights set{uid === null ? '' : ` for uid ${uid}`}.</p>
      ) : (
        <SeriesChart
          title="Weight share per uid"
          xLabel="block"
          data={[series.blocks, ...shown.map((s) => s.values)]}
          labels={shown.map((s) => `uid ${s.uid}`)}
          testId={`${id}-chart`}
        />
      )}
      <table data-testid={`${id}-sets`}>
        <caption class="muted">Every set on chain, newest first (share = u16 weight / sum of the vector)</caption>
        <thead>
          <tr>
            <th scope="col">Block</th>
            <th scope="col">Weights (uid: share)</th>
            <th scope="col">Extrinsic</th>
            <th scope="col">Audit</th>
          </tr>
        </thead>
        <tbody>
          {sets.map((s) => {
            const share = shares(s.weights);
            return (
              <tr key={s.streamSequence}>
                <td>{s.block}</td>
                <td>
                  {s.uids
                    .map((u, i) => ({ u, share: share[i]! }))
                    .filter((w) => uid === null || w.u === uid)
                    .map((w) => (
                      <span key={w.u} class="weight">
                        <span class="swatch" style={{ background: PALETTE[series.uids.indexOf(w.u) % PALETTE.length] }} /> uid {w.u}: {percent(w.share)}{' '}
                      </span>
                    ))}
                </td>
                <td title={s.extrinsicHash ?? ''}>
                  <code>{short(s.extrinsicHash, 10)}</code> <span class="muted">{dateText(s.at)}</span>
                </td>
                <td>
                  <a href={`/events/weights/${encodeURIComponent(`${netuid}:${validator}`)}`}>events</a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
};

/**
 * `/weights?netuid=&validator=&uid=&offset=`: each validator's weights on chain over blocks, per uid, from
 * `/weights/history`, SETS sets at a time (newest first; `offset` pages back through older ones).
 */
export const WeightsPage = ({ query }: { query: URLSearchParams }) => {
  const offset = Math.max(0, Math.floor(Number(query.get('offset') ?? 0) / SETS) * SETS || 0);
  const filters = new URLSearchParams({ kind: 'set', limit: String(SETS), offset: String(offset) });
  for (const key of ['netuid', 'validator']) if (query.get(key)) filters.set(key, query.get(key)!);
  const uid = query.get('uid') === null ? null : Number(query.get('uid'));
  const history = useResource(() => getJson<Page<WeightsRecord>>(`/weights/history?${filters}`), [filters.toString()]);
  return (
    <>
      <h1>Weights history{uid === null ? '' : ` of uid ${uid}`}</h1>
      <p class="muted">What each validator set on chain, block by block. {uid !== null && <a href="/weights">All uids</a>}</p>
      <Loaded resource={history}>
        {(page) =>
          page.items.length === 0 ? (
            <p class="muted">No weights set{offset > 0 ? ' this far back' : ' yet'}.</p>
          ) : (
            <>
              <Pager query={query} offset={offset} shown={page.items.length} total={page.total} />
              {[...byValidator(page.items).values()].map((records) => (
                <ValidatorWeights key={`${records[0]!.netuid}:${records[0]!.validator}`} records={records} uid={uid} />
              ))}
            </>
          )
        }
      </Loaded>
    </>
  );
};
