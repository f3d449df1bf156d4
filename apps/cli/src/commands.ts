import { auditWeights } from './audit/audit-weights.js';
import type { Command } from './command.js';
import { minerCommit } from './miner/commit.js';
import { minerLocalEval } from './miner/local-eval.js';
import { minerShowCommitment } from './miner/show-commitment.js';
import { minerStatus } from './miner/status.js';
import { minerUploadCommand } from './miner/upload.js';
import { dlqList, dlqReplay, dlqShow } from './ops/dlq.js';
import { namespaceList, namespaceRm } from './ops/namespace.js';
import { projectorReplay, projectorStatus } from './ops/projector.js';
import { up } from './ops/up.js';

/** Every `kinitro` subcommand. */
export const commands: readonly Command[] = [
  minerUploadCommand,
  minerCommit,
  minerShowCommitment,
  minerStatus,
  minerLocalEval,
  up,
  dlqList,
  dlqShow,
  dlqReplay,
  projectorReplay,
  projectorStatus,
  namespaceList,
  namespaceRm,
  auditWeights,
];
