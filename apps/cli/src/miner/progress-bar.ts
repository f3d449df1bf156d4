import type { UploadProgress } from '#storage';
import type { CliIo } from '../command.js';

/** How often a log (not a terminal) gets a progress line while bytes go up. */
const LOG_EVERY_MS = 10_000;

/** A write-only stream for `io.err`, one call per line, that is not a terminal. */
const lineStream = (err: (line: string) => void) => {
  let pending = '';
  return {
    isTTY: false,
    write(text: string) {
      const lines = (pending + text).split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.trim()) err(line.trimEnd());
      return true;
    },
  };
};

/**
 * A cli-progress bar on the terminal (or as log lines), shared by the commands that show progress; `format`
 * uses the bar's tokens and the payload's.
 */
export const progressBar = async (io: CliIo, format: string) => {
  const { SingleBar } = (await import('cli-progress')).default;
  return new SingleBar({
    stream: (io.progress ?? lineStream(io.err)) as NodeJS.WritableStream,
    format,
    barsize: 24,
    barCompleteChar: '#',
    barIncompleteChar: '.',
    hideCursor: false,
    // Cut to the terminal's width by the bar itself, rather than relying on the terminal to honour "auto-wrap off".
    linewrap: true,
    noTTYOutput: true,
    notTTYSchedule: LOG_EVERY_MS,
    fps: 10,
  });
};

/**
 * Upload progress drawn by cli-progress: on a terminal one line redrawn at most 10 times a second and cut to
 * its width; in a log (a pipe, CI) a line when it starts, every 10 s, and when it ends. The cursor stays
 * visible, and no signal handler is installed, so Ctrl-C still ends an upload at once.
 */
export const uploadProgressBar = async (io: CliIo, formatBytes: (bytes: number) => string) => {
  const bar = await progressBar(io, '{phase} [{bar}] {percentage}%  {done} / {size}  {file}');
  let started = false;
  const payload = (p: UploadProgress) => ({ phase: p.phase.padEnd(10), done: formatBytes(p.bytesDone), size: formatBytes(p.bytesTotal), file: p.file ?? '' });
  return {
    onProgress(p: UploadProgress) {
      // An empty upload is 0 of 1 until done, so the bar never divides by zero.
      const total = Math.max(1, p.bytesTotal);
      const value = p.phase === 'done' ? total : Math.min(p.bytesDone, total);
      if (!started) bar.start(total, value, payload(p));
      else bar.update(value, payload(p));
      started = true;
    },
    /** Draws the last state and lets the process exit (the bar's timer keeps it alive). */
    stop() {
      if (started) bar.stop();
    },
  };
};
