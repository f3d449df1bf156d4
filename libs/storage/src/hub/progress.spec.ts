import { describe, expect, it } from '@jest/globals';
import type { UploadProgress } from './port.js';
import { formatBytes, progressPrinter, renderUploadProgress } from './progress-bar.js';
import { UploadProgressTracker } from './upload-progress.js';

const at = (phase: UploadProgress['phase'], bytesDone: number, file?: string): UploadProgress => ({ phase, bytesDone, bytesTotal: 4096, filesTotal: 2, ...(file && { file }) });

describe('renderUploadProgress', () => {
  it('draws the share of bytes sent, the sizes and the file', () => {
    expect(renderUploadProgress(at('uploading', 1024, 'weights.bin'), 8)).toBe('uploading   [##......]   25%  1.0 KiB / 4.0 KiB  weights.bin');
  });

  it('shows a full bar when done, even for an empty upload', () => {
    expect(renderUploadProgress({ phase: 'done', bytesDone: 0, bytesTotal: 0, filesTotal: 1 }, 4)).toBe('done        [####]  100%  0 B / 0 B');
  });

  it('formats sizes in binary units', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual(['512 B', '1.5 KiB', '5.0 GiB']);
  });
});

describe('progressPrinter', () => {
  it('redraws one line in place on a terminal and ends it when done', () => {
    const out: string[] = [];
    const print = progressPrinter({ isTTY: true, write: (t) => out.push(t) });
    print(at('uploading', 0));
    print(at('done', 4096));
    expect(out.every((t) => t.startsWith('\r'))).toBe(true);
    expect(out.at(-1)?.endsWith('\n')).toBe(true);
  });

  it('prints one line per phase into a log', () => {
    const out: string[] = [];
    const print = progressPrinter({ isTTY: false, write: (t) => out.push(t) });
    [at('preparing', 0), at('uploading', 100), at('uploading', 200), at('committing', 200), at('done', 4096)].forEach(print);
    expect(out.map((l) => l.split(' ')[0])).toEqual(['preparing', 'uploading', 'committing', 'done']);
  });
});

describe('UploadProgressTracker', () => {
  it('counts large files as they upload and the rest once the commit succeeds', () => {
    const seen: UploadProgress[] = [];
    const tracker = new UploadProgressTracker([{ path: 'weights.bin', size: 3000 }, { path: 'kinitro.json', size: 1096 }], (p) => seen.push(p));
    tracker.start();
    tracker.onEvent({ event: 'phase', phase: 'uploadingLargeFiles' });
    tracker.onEvent({ event: 'fileProgress', path: 'weights.bin', progress: 0.5, state: 'hashing' });
    tracker.onEvent({ event: 'fileProgress', path: 'weights.bin', progress: 0.5, state: 'uploading' });
    tracker.onEvent({ event: 'phase', phase: 'committing' });
    tracker.finish();
    expect(seen.map((p) => [p.phase, p.bytesDone])).toEqual([
      ['preparing', 0],
      ['uploading', 0],
      ['hashing', 0],
      ['uploading', 1500],
      ['committing', 1500],
      ['done', 4096],
    ]);
    expect(seen.every((p) => p.bytesTotal === 4096 && p.filesTotal === 2)).toBe(true);
  });
});
