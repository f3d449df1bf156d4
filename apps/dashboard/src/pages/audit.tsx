import { getJson, type AggregateHistory } from '../api.js';
import { Loaded } from '../components/status.js';
import { dateText } from '../format.js';
import { useResource } from '../use-resource.js';

/** Every event of one aggregate (`GET /events/:aggregate/:id`), in order, each payload in full. */
export const AuditPage = ({ aggregate, id }: { aggregate: string; id: string }) => {
  const history = useResource(() => getJson<AggregateHistory>(`/events/${encodeURIComponent(aggregate)}/${encodeURIComponent(id)}`), [aggregate, id]);
  return (
    <>
      <h1>
        Events of {aggregate} <code>{id}</code>
      </h1>
      <Loaded resource={history}>
        {(h) => (
          <ol class="timeline" data-testid="audit-events">
            {h.items.map((e) => (
              <li key={e.streamSequence}>
                <details>
                  <summary>
                    <span class="muted">
                      v{e.aggregateVersion} · #{e.streamSequence} {dateText(e.occurredAt)}
                    </span>{' '}
                    <strong>{e.type}</strong>
                  </summary>
                  <pre tabIndex={0}>{JSON.stringify(e.data, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ol>
        )}
      </Loaded>
    </>
  );
};
