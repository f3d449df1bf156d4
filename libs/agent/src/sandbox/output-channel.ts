import { execFile } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket, type SocketConstructorOpts } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OutputTail } from './output-tail.js';

const READ_BUFFER_BYTES = 64 * 1024;

/** `onread` is documented for `new net.Socket()` since Node 12 but missing from @types/node 20's options. */
type ReusedBufferOpts = SocketConstructorOpts & { onread: { buffer: Buffer; callback: (bytes: number, buffer: Buffer) => boolean } };

/**
 * One output stream of the agent, read through a FIFO into a single reused buffer (`onread`). A plain
 * `stdio: 'pipe'` allocates a fresh 64 KiB buffer per read, and a 100 MB flood then grows the evaluator's
 * RSS by ~40 MB of garbage before V8 collects it; with the reused buffer it stays within a few MB. (Node
 * has no pipe(2); the FIFO is made by coreutils `mkfifo` in a private directory and unlinked at once.)
 */
export class OutputChannel {
  private constructor(
    /** The write end, handed to the child as its stdout or stderr. */
    readonly writeFd: number,
    private readonly reader: Socket,
    /** Resolves at end of file: every process holding the write end has closed it. */
    readonly ended: Promise<void>,
  ) {}

  static async open(tail: OutputTail, onData: () => void): Promise<OutputChannel> {
    const dir = await mkdtemp(join(tmpdir(), 'kinitro-output-'));
    try {
      const path = join(dir, 'fifo');
      await promisify(execFile)('mkfifo', ['-m', '600', path]);
      // Non-blocking read end first, so opening the write end does not wait for a reader.
      const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const writeFd = openSync(path, constants.O_WRONLY);
      const buffer = Buffer.alloc(READ_BUFFER_BYTES);
      const reader = new Socket({
        fd: readFd,
        readable: true,
        writable: false,
        onread: {
          buffer,
          callback: (bytes: number) => {
            tail.push(buffer.subarray(0, bytes));
            onData();
            return true;
          },
        },
      } satisfies ReusedBufferOpts as SocketConstructorOpts);
      const ended = new Promise<void>((resolve) => {
        reader.once('end', resolve);
        reader.once('close', resolve);
        reader.once('error', () => resolve());
      });
      return new OutputChannel(writeFd, reader, ended);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Our copy of the write end, closed once the child has its own, so end of file can arrive. */
  closeWriteEnd(): void {
    closeSync(this.writeFd);
  }

  destroy(): void {
    this.reader.destroy();
  }
}
