import type { DataSource } from 'typeorm';
import { projectionStatuses } from '#read-models';
import type { ProjectionStatusDto } from './health.dto.js';

/** Every projection with its lag behind the log's last sequence (and its rebuild's, while one runs). */
export const projectionsBehind = async (readModels: DataSource, schema: string, lastSequence: number): Promise<ProjectionStatusDto[]> =>
  (await projectionStatuses(readModels, schema)).map((p) => ({
    ...p,
    lag: Math.max(0, lastSequence - p.checkpoint),
    rebuild: p.rebuild && { ...p.rebuild, lag: Math.max(0, lastSequence - p.rebuild.checkpoint) },
  }));
