// Loads a worker thread's TypeScript sources as jest does (swc), for code that starts workers from the sources
// under test: `new Worker(url, { execArgv: ['--import', <this file>] })`.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
