import { getJson, type Page } from '../api.js';
import { PALETTE, SeriesChart } from '../components/series-chart.js';
import { Loaded } from '../components/status.js';
import { dateText, percent, short } from '../format.js';
import { useResource } from '../use-resource.js';
import { shares, weightsSeries, type WeightsRecord } from '../weights-series.js';

/** The newest sets the page reads (the route's page size); older ones are beyond the chart. */
const SETS = 200;

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
        <SeriesChart title="Weight share per uid" xLabel="block" data={[series.blocks, ...shown.map((s) => s.values)]} labels={shown.map((s) => `uid ${s.uid}`)} testId={`${id}-chart`} />
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

/** `/weights?netuid=&validator=&uid=`: each validator's weights on chain over blocks, per uid, from `/weights/history`. */
export const WeightsPage = ({ query }: { query: URLSearchParams }) => {
  const filters = new URLSearchParams({ kind: 'set', limit: String(SETS) });
  for (const key of ['netuid', 'validator']) if (query.get(key)) filters.set(key, query.get(key)!);
  const uid = query.get('uid') === null ? null : Number(query.get('uid'));
  const history = useResource(() => getJson<Page<WeightsRecord>>(`/weights/history?${filters}`), [filters.toString()]);
  return (
    <>
      <h1>Weights history{uid === null ? '' : ` of uid ${uid}`}</h1>
      <p class="muted">
        What each validator set on chain, block by block. {uid !== null && <a href="/weights">All uids</a>}
      </p>
      <Loaded resource={history}>
        {(page) =>
          page.items.length === 0 ? (
            <p class="muted">No weights set yet.</p>
          ) : (
            [...byValidator(page.items).values()].map((records) => <ValidatorWeights key={`${records[0]!.netuid}:${records[0]!.validator}`} records={records} uid={uid} />)
          )
        }
      </Loaded>
    </>
  );
};
