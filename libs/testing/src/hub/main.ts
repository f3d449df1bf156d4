import { parseArgs } from 'node:util';
import { LocalHub } from './local-hub.js';

/**
 * Runs the local Hub on its own, for demos and manual checks:
 *   node dist/libs/testing/src/hub/main.js --port 0 --dir DIR [--token hf_x ...] [--lfs-threshold BYTES]
 * Prints `HF_ENDPOINT=<url>` once listening, so a wrapper script can export it.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    dir: { type: 'string' },
    token: { type: 'string', multiple: true },
    'lfs-threshold': { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const hub = await LocalHub.start({
  port: Number(values.port),
  host: values.host,
  ...(values.dir && { dir: values.dir }),
  ...(values.token && { tokens: values.token }),
  ...(values['lfs-threshold'] && { lfsThresholdBytes: Number(values['lfs-threshold']) }),
  ...(values.verbose && { log: (line: string) => console.log(line) }),
});
console.log(`HF_ENDPOINT=${hub.url}`);
console.log(`repos in ${hub.store.root}`);

const stop = (): void => void hub.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
