import { describe, expect, it } from '@jest/globals';
import type { UploadProgress } from './port.js';
import { formatBytes } from './format-bytes.js';
import { UploadProgressTracker } from './upload-progress.js';

describe('formatBytes', () => {
  it('formats sizes in binary units', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual(['512 B', '1.5 KiB', '5.0 GiB']);
  });
});

describe('UploadProgressTracker', () => {
  it('counts large files as they upload and the rest once the commit succeeds', () => {
    const seen: UploadProgress[] = [];
    const tracker = new UploadProgressTracker(
      [
        { path: 'weights.bin', size: 3000 },
        { path: 'kinitro.json', size: 1096 },
      ],
      (p) => seen.push(p),
    );
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
