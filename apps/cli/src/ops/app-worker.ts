import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

/**
 * One app of `kinitro up`, in a worker thread: runs the app's own built entry point (its main.js), unchanged.
 * Signals reach only the main thread, so `stop` from it becomes the SIGTERM the app's runUntilSignalled handles:
 * the app stops after the work in hand and exits, which ends this thread.
 */
const { main } = workerData as { main: string };
parentPort!.on('message', (message: unknown) => {
  if (message === 'stop') process.emit('SIGTERM', 'SIGTERM');
});
await import(pathToFileURL(main).href);
