import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { arbitraryLogs } from '../../../contracts/src/testing/arbitrary-log.js';
import { versionedTables } from '../tables.js';
import type { LoadedRows } from './fold.js';
import { loadPlanFor, projectBatch } from './project.js';
import type { VersionedTable } from './rows.js';

/**
 * The projection folds every event of the log: a throw on one (rather than a rejection) fails its batch, and the
 * projector retries that batch for ever. So over any valid events of the catalogue in any order, cut into batches
 * anywhere, the fold plans its loads, folds, and accounts for every event it passes as rejected, never throwing.
 */
const noRows = (): LoadedRows => Object.fromEntries((Object.keys(versionedTables) as VersionedTable[]).map((t) => [t, []]));

describe('the projection is total over the catalogue', () => {
  it('folds any log, in batches cut anywhere, without throwing; what it rejects it names with a reason', () => {
    fc.assert(
      fc.property(arbitraryLogs(), fc.nat(10), (log, cut) => {
        const batches = cut === 0 ? [log] : [log.slice(0, cut), log.slice(cut)];
        for (const batch of batches) {
          loadPlanFor(batch);
          const changes = projectBatch(batch, noRows());
          for (const { event, reason } of changes.rejected) {
            expect(batch).toContain(event);
            expect(reason).toMatch(/\S/);
          }
        }
      }),
      { seed: 20261201, numRuns: 300 },
    );
  });
});
