import { describe, expect, it } from '@jest/globals';
import { parseArgs, UsageError } from './cli-args.js';

describe('parseArgs', () => {
  it('runs live without arguments', () => {
    expect(parseArgs([])).toEqual({ mode: 'live' });
  });

  it('reads the bounds of a replay', () => {
    expect(parseArgs(['replay'])).toEqual({ mode: 'replay', options: {} });
    expect(parseArgs(['replay', '--to-seq', '42', '--until', '2026-11-24T12:00:00Z'])).toEqual({
      mode: 'replay',
      options: { toSequence: 42, until: new Date('2026-11-24T12:00:00Z') },
    });
  });

  it("keeps a bounded replay's schema only when asked, and only for a bounded replay", () => {
    expect(parseArgs(['replay', '--keep', '--to-seq', '7'])).toEqual({ mode: 'replay', options: { keep: true, toSequence: 7 } });
    expect(parseArgs(['replay', '--until', '2026-11-24T12:00:00Z', '--keep'])).toEqual({
      mode: 'replay',
      options: { keep: true, until: new Date('2026-11-24T12:00:00Z') },
    });
    expect(() => parseArgs(['replay', '--keep'])).toThrow(/--keep is for a bounded replay/);
  });

  it('replays only the projections named, refusing one the code does not define', () => {
    expect(parseArgs(['replay', '--projection', 'jobs', '--projection', 'scores'])).toEqual({ mode: 'replay', options: { projections: ['jobs', 'scores'] } });
    expect(() => parseArgs(['replay', '--projection', 'leaderboards'])).toThrow(/unknown projection "leaderboards" \(known: competitions, submissions, jobs/);
  });

  it('refuses what it does not understand, naming it', () => {
    expect(() => parseArgs(['rebuild'])).toThrow(/unknown command "rebuild"/);
    expect(() => parseArgs(['replay', '--to-seq', '0'])).toThrow(UsageError);
    expect(() => parseArgs(['replay', '--until', 'yesterday'])).toThrow(/--until/);
    expect(() => parseArgs(['replay', '--to-seq'])).toThrow(/needs a value/);
    expect(() => parseArgs(['replay', '--fast', '1'])).toThrow(/unknown option "--fast"/);
  });
});
