import { getOptional, type AggregateHistory, type LoggedEvent } from '../api.js';
import { dateText, percent, short } from '../format.js';

/** Every event of one aggregate, oldest first; none when it has no events yet. */
export const history = (aggregate: string, id: string): Promise<LoggedEvent[]> =>
  getOptional<AggregateHistory>(`/events/${aggregate}/${encodeURIComponent(id)}`).then((h) => h?.items ?? []);

/** One line of what an event says, for the timeline (the full payload is one click away). */
const gist = (e: LoggedEvent): string => {
  const d = e.data;
  switch (e.type) {
    case 'CommitmentObserved':
      return `block ${d.block}, uid ${d.uid ?? '—'}`;
    case 'SubmissionReceived':
      return `${d.repo ?? ''}@${String(d.revision ?? '').slice(0, 12)} at block ${d.block}`;
    case 'SubmissionRejected':
      return `${d.reason}: ${d.detail ?? ''}`;
    case 'EvaluationCompleted':
      return `${percent(d.successRate)} over ${d.episodes} episodes (validator ${short(d.validator)})`;
    case 'EvaluationFailed':
      return `${d.reason} (${d.fault}) ${d.verdict ?? ''}`;
    case 'EvaluationClaimed':
    case 'EvaluationStarted':
      return `validator ${short(d.validator)}${d.evaluator ? ` on ${d.evaluator}` : ''}`;
    default:
      return '';
  }
};

/** “Every event behind it”: events of several aggregates in log order, each with its gist, a link to its aggregate's audit view and its payload. */
export const EventTimeline = ({ events, testId }: { events: LoggedEvent[]; testId: string }) => (
  <section aria-labelledby="events-heading">
    <h2 id="events-heading">Every event behind it</h2>
    <ol class="timeline" data-testid={testId}>
      {events.map((e) => (
        <li key={e.streamSequence}>
          <details>
            <summary>
              <span class="muted">
                #{e.streamSequence} {dateText(e.occurredAt)}
              </span>{' '}
              <strong>{e.type}</strong> <span class="muted">{e.aggregate}</span> {gist(e)}
            </summary>
            <p>
              <a href={`/events/${e.aggregate}/${e.aggregateId}`}>all events of this {e.aggregate}</a>
            </p>
            <pre tabIndex={0}>{JSON.stringify(e.data, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ol>
  </section>
);
