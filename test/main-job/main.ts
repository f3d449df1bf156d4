import { ConfigError, loadConfig } from '#platform';
import { runMainJob } from './main-job.js';

/**
 * `npm run main-job [-- --keep]`: the platform doing its work end to end on the local services, narrated.
 * Each run has a fresh test chain and Hub, so it takes a namespace and schema of its own and removes them at the
 * end, unless --keep is given. A namespace named in KINITRO_NAMESPACE is used and never removed.
 */
try {
  const named = process.env.KINITRO_NAMESPACE;
  const keepState = process.argv.includes('--keep') || Boolean(named);
  const namespace = named || `main_job_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const config = loadConfig({ KINITRO_NAMESPACE: namespace, DATABASE_SCHEMA: namespace, API_PORT: '0', ...process.env });
  const report = await runMainJob(config, console.log, { keepState });
  const identical = report.replays.every((r) => JSON.stringify(r) === JSON.stringify(report.liveHashes));
  console.log(identical ? '\nreplays reproduce the live read models exactly' : '\nreplay hashes DIFFER from the live tables');
  if (keepState) console.log(`state kept: streams ${config.KINITRO_NAMESPACE.toUpperCase()}_*, Postgres schema ${config.DATABASE_SCHEMA}`);
  process.exit(identical ? 0 : 1);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
