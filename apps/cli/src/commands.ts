import { adminNatsConfig } from './admin/nats-config.js';
import { adminNkey } from './admin/nkey.js';
import type { Command } from './command.js';
import { minerCommit } from './miner/commit.js';
import { minerLocalEval } from './miner/local-eval.js';
import { minerShowCommitment } from './miner/show-commitment.js';
import { minerStatus } from './miner/status.js';
import { minerUploadCommand } from './miner/upload.js';
import { validatorInit } from './validator/init.js';

/** Every `kinitro` subcommand. */
export const commands: readonly Command[] = [minerUploadCommand, minerCommit, minerShowCommitment, minerStatus, minerLocalEval, validatorInit, adminNkey, adminNatsConfig];
