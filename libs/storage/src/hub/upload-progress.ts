import type { CommitProgressEvent } from '@huggingface/hub';
import type { UploadProgress } from './port.js';

/**
 * Folds the client's commit events into byte counts for a progress bar. The client reports large (LFS/Xet)
 * files as fractions while they hash and upload; the other files travel inside the commit request itself, so
 * they count as sent when the commit succeeds.
 */
export class UploadProgressTracker {
  private readonly sizes: Map<string, number>;
  private readonly sent = new Map<string, number>();
  private readonly bytesTotal: number;

  constructor(
    files: readonly { path: string; size: number }[],
    private readonly emit: (progress: UploadProgress) => void,
  ) {
    this.sizes = new Map(files.map((f) => [f.path, f.size]));
    this.bytesTotal = files.reduce((sum, f) => sum + f.size, 0);
  }

  start(): void {
    this.report('preparing');
  }

  onEvent(event: CommitProgressEvent): void {
    if (event.event === 'phase') {
      this.report(event.phase === 'committing' ? 'committing' : 'uploading');
      return;
    }
    if (event.state === 'hashing') {
      this.report('hashing', event.path);
      return;
    }
    if (event.state === 'uploading') {
      this.sent.set(event.path, Math.round((this.sizes.get(event.path) ?? 0) * Math.min(1, Math.max(0, event.progress))));
      this.report('uploading', event.path);
    }
  }

  finish(): void {
    for (const [path, size] of this.sizes) this.sent.set(path, size);
    this.report('done');
  }

  private report(phase: UploadProgress['phase'], file?: string): void {
    let bytesDone = 0;
    for (const bytes of this.sent.values()) bytesDone += bytes;
    this.emit({ phase, bytesDone, bytesTotal: this.bytesTotal, filesTotal: this.sizes.size, ...(file !== undefined && { file }) });
  }
}
