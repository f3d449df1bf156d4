import { CreateReadModels1764000000000 } from './1764000000000-create-read-models.js';
import { AddCommitments1764000000001 } from './1764000000001-add-commitments.js';
import { AddRejectedEvents1764000000002 } from './1764000000002-add-rejected-events.js';
import { AddEvaluationLifecycle1764000000003 } from './1764000000003-add-evaluation-lifecycle.js';
import { AddJobListIndexes1764000000004 } from './1764000000004-add-job-list-indexes.js';
import { AddCrossJobReadIndexes1764000000005 } from './1764000000005-add-cross-job-read-indexes.js';
import { AddScoresAndWeights1764000000006 } from './1764000000006-add-scores-and-weights.js';
import { ApiKeyRoles1764000000007 } from './1764000000007-api-key-roles.js';
import { PerProjectionCheckpoints1764000000008 } from './1764000000008-per-projection-checkpoints.js';
import { AddEvaluatorLogs1764000000009 } from './1764000000009-add-evaluator-logs.js';

export const readModelMigrations = [
  CreateReadModels1764000000000,
  AddCommitments1764000000001,
  AddRejectedEvents1764000000002,
  AddEvaluationLifecycle1764000000003,
  AddJobListIndexes1764000000004,
  AddCrossJobReadIndexes1764000000005,
  AddScoresAndWeights1764000000006,
  ApiKeyRoles1764000000007,
  PerProjectionCheckpoints1764000000008,
  AddEvaluatorLogs1764000000009,
];
