import type { DataSource } from 'typeorm';
import { staleProjections } from '../projection/registry.js';
import type { ProgressLogger } from './logger.js';
import type { ReplayReport, ReplayService } from './replay.js';

/**
 * At start-up: rebuilds, in one replay, the projections whose stored version differs from the code's (a bumped
 * version, or a projection the schema has never had). Runs beside the live projector, which keeps every table
 * serving until the rebuilt ones are swapped in. Undefined when every projection is current.
 */
export const rebuildStaleProjections = async (
  dataSource: DataSource,
  schema: string,
  replay: Pick<ReplayService, 'replay'>,
  logger: ProgressLogger,
): Promise<ReplayReport | undefined> => {
  const stale = await staleProjections(dataSource, schema);
  if (stale.length === 0) return undefined;
  logger.log(`rebuilding ${stale.map((p) => `${p.name} (v${p.version})`).join(', ')}: stored versions differ from the code's`);
  return replay.replay({ projections: stale.map((p) => p.name) });
};
