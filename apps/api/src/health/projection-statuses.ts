import type { ProjectionStatus } from '#read-models';
import type { ProjectionStatusDto } from './health.dto.js';

/** Every projection with its lag behind the log's last sequence (and its rebuild's, while one runs). */
export const projectionsBehind = (statuses: ProjectionStatus[], lastSequence: number): ProjectionStatusDto[] =>
  statuses.map((p) => ({
    ...p,
    lag: Math.max(0, lastSequence - p.checkpoint),
    rebuild: p.rebuild && { ...p.rebuild, lag: Math.max(0, lastSequence - p.rebuild.checkpoint) },
  }));
