import type { Logger } from '@nestjs/common';
import { awaitReady, StartupError } from '#platform';
import { schemaVersion, type SchemaVersion } from '#read-models';
import type { DataSource } from 'typeorm';

/**
 * Waits (bounded, logged) until the projector has migrated the schema. The projector owns the migrations: it is
 * the one writer of these tables, and an API that migrated during a rolling deploy could move the schema ahead of
 * the projector writing it. An API started first would otherwise answer every route with "relation does not exist".
 */
export const awaitSchema = (db: DataSource, schema: string, waitMs: number, logger: Pick<Logger, 'warn'>): Promise<SchemaVersion> =>
  awaitReady({
    waitMs,
    logger,
    check: async () => {
      const version = await schemaVersion(db, schema);
      return version.current
        ? { ready: true, value: version }
        : {
            ready: false,
            waitingFor: `the projector to migrate the read-model schema "${schema}" (applied: ${version.applied ?? 'none'}, expected: ${version.expected})`,
          };
    },
    giveUp: (waitingFor) =>
      new StartupError(
        `gave up after ${waitMs} ms waiting for ${waitingFor}: start the projector, which migrates it, or check DATABASE_URL and DATABASE_SCHEMA (PROJECTOR_WAIT_MS sets the wait)`,
      ),
  });
