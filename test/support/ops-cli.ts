import { runCli } from '../../apps/cli/src/cli.js';
import { commands } from '../../apps/cli/src/commands.js';
import type { ProjectionBed } from '../../libs/read-models/src/testing/harness.js';

/** `kinitro …` in-process against a projection bed's NATS, Postgres, namespace and schema, as an operator's shell runs it. */
export const opsCli =
  (bed: () => ProjectionBed) =>
  async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    const { natsUrl, databaseUrl, namespace } = bed();
    const out: string[] = [];
    const err: string[] = [];
    const env = { NATS_URL: natsUrl, DATABASE_URL: databaseUrl, KINITRO_NAMESPACE: namespace, DATABASE_SCHEMA: namespace };
    const code = await runCli(commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
