import { ConfigError, loadConfig } from '#platform';
import { runMainJob } from './main-job.js';

/** `npm run main-job`: the platform doing its work end to end on the local services, narrated. */
try {
  const report = await runMainJob(loadConfig());
  const identical = report.replays.every((r) => JSON.stringify(r) === JSON.stringify(report.liveHashes));
  console.log(identical ? '\nreplays reproduce the live read models exactly' : '\nreplay hashes DIFFER from the live tables');
  process.exit(identical ? 0 : 1);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
