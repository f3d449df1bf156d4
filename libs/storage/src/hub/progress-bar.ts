import type { UploadProgress } from './port.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export const formatBytes = (bytes: number): string => {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
};

/**
 * One line for a terminal: `uploading  [#########...........]  45%  4.5 MiB / 10.0 MiB  weights.bin`.
 * The CLI rewrites it in place with `\r` on a TTY and prints it on phase changes otherwise.
 */
export const renderUploadProgress = (progress: UploadProgress, width = 24): string => {
  const fraction = progress.bytesTotal === 0 ? (progress.phase === 'done' ? 1 : 0) : progress.bytesDone / progress.bytesTotal;
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const percent = `${Math.floor(clamped * 100)}%`.padStart(4);
  const bytes = `${formatBytes(progress.bytesDone)} / ${formatBytes(progress.bytesTotal)}`;
  return [progress.phase.padEnd(10), bar, percent, bytes, progress.file ?? ''].join('  ').trimEnd();
};

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * An `onProgress` callback that draws the bar on a stream: redrawn in place on a terminal, one line per phase
 * when the output is a file or a pipe (CI logs).
 */
export const progressPrinter = (stream: ProgressStream = process.stderr): ((progress: UploadProgress) => void) => {
  let lastPhase: UploadProgress['phase'] | undefined;
  return (progress) => {
    const line = renderUploadProgress(progress);
    if (stream.isTTY) stream.write(`\r${line}\x1b[K${progress.phase === 'done' ? '\n' : ''}`);
    else if (progress.phase !== lastPhase) stream.write(`${line}\n`);
    lastPhase = progress.phase;
  };
};
