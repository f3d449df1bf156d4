import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#contracts';
import type { LoadedRows } from '../projection/fold.js';
import { refoldHazard, type AfterTheEvent } from './refold-hazards.js';

const event = { streamSequence: 10, aggregate: 'competition', aggregateId: 'c1', type: 'CompetitionDeactivated' } as RecordedEvent;
/** The competition row as loaded (only the columns the check reads). */
const row = (lastSequence: string) => ({ competitions: [{ id: 'c1', last_sequence: lastSequence }] }) as unknown as LoadedRows;
const after = (over: Partial<AfterTheEvent> = {}): AfterTheEvent => ({ loaded: row('9'), laterRejected: 0, lastOnSubject: 10, ...over });

describe('refoldHazard: may folding a skipped event late differ from folding it in order?', () => {
  it('no, when its rows are as it left them, it is the last of its aggregate and nothing later was rejected', () => {
    expect(refoldHazard(event, after())).toBeUndefined();
    // Its own sequence on the row: folded already (a repeated re-drive), which the fold leaves alone.
    expect(refoldHazard(event, after({ loaded: row('10') }))).toBeUndefined();
  });

  it('yes, naming the row a later event changed', () => {
    expect(refoldHazard(event, after({ loaded: row('12') }))).toBe('competitions row c1 changed after it (at #12)');
  });

  it('yes, when its aggregate has later events (they may have found its row missing)', () => {
    expect(refoldHazard(event, after({ loaded: {}, lastOnSubject: 14 }))).toBe('its competition has later events (up to #14)');
  });

  it('yes, when later events were rejected', () => {
    expect(refoldHazard(event, after({ laterRejected: 2 }))).toBe('2 later event(s) were rejected, maybe for want of it');
  });
});
