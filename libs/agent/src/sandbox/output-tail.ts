/**
 * Keeps the last `capacity` bytes of a stream in a fixed buffer and counts the rest, so an agent writing
 * gigabytes costs the evaluator `capacity` bytes: chunks are copied into the ring and dropped at once.
 */
export class OutputTail {
  private readonly ring: Buffer;
  private end = 0;
  private filled = false;
  private total = 0;

  constructor(readonly capacity: number) {
    this.ring = Buffer.alloc(capacity);
  }

  get bytes(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    if (this.capacity === 0) return;
    const kept = chunk.length > this.capacity ? chunk.subarray(chunk.length - this.capacity) : chunk;
    const first = Math.min(kept.length, this.capacity - this.end);
    this.ring.set(kept.subarray(0, first), this.end);
    this.ring.set(kept.subarray(first), 0);
    const wrapped = this.end + kept.length >= this.capacity;
    this.end = (this.end + kept.length) % this.capacity;
    this.filled ||= wrapped;
  }

  /** The tail as text: invalid UTF-8 (a multi-byte character cut at the start) becomes U+FFFD, and so does
   * U+0000, which Postgres text cannot hold. */
  text(): string {
    const bytes = this.filled ? Buffer.concat([this.ring.subarray(this.end), this.ring.subarray(0, this.end)]) : this.ring.subarray(0, this.end);
    return bytes.toString('utf8').replaceAll('\u0000', '\uFFFD');
  }
}
