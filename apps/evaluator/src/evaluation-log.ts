import { withRetry, type RetryPolicy } from '#agent';
import { sanitizeText } from '#contracts';
import type { ObjectStore } from '#storage';

/** What the episode events carry about a log object (contracts' objectRefSchema). */
export interface LogRef {
  key: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

/** One line's longest text; a longer message is cut with sanitizeText's marker. */
export const LOG_LINE_MAX_CHARS = 1000;
/** Lines kept from the start (the agent's start and the sandbox's limits are there) and from the end. */
export const LOG_HEAD_LINES = 50;
export const LOG_TAIL_LINES = 200;
/** Evaluations whose logs a process remembers at once (one per evaluation it served lately). */
const MAX_EVALUATIONS = 64;

export const LOG_CONTENT_TYPE = 'text/plain; charset=utf-8';

const REDACTED = '[redacted]';

/**
 * What looks like a credential whatever its source, and what each becomes: Hub tokens, bearer tokens, API keys, a
 * URL's user:password, presigned URLs' signatures. The configured secrets (the Hub token) are redacted by value too.
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bhf_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bkinitro_[0-9a-f]{32}_[A-Za-z0-9_-]{43}/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\/\/[^/\s:@]+:[^/\s@]+@/g, `//${REDACTED}@`],
  [/\b(X-Amz-(?:Signature|Credential|Security-Token))=[^&\s]+/gi, `$1=${REDACTED}`],
];

/**
 * The evaluator's own log of one evaluation on this process: what it did, oldest first (items taken, the agent's
 * start and the limits in force, each episode, verdicts, errors). Bounded: the first LOG_HEAD_LINES lines and the
 * last LOG_TAIL_LINES are kept (a line says how many in between were left out), each line at most
 * LOG_LINE_MAX_CHARS; sanitised (no U+0000, no lone surrogate) and with secrets redacted before it is kept.
 */
export class EvaluationLog {
  private readonly head: string[] = [];
  private tail: string[] = [];
  private dropped = 0;

  constructor(
    private readonly secrets: readonly string[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  note(kind: string, message: string): void {
    const line = sanitizeText(`${this.now().toISOString()} ${kind} ${this.redact(message).replaceAll(/\r?\n/g, ' ⏎ ')}`, LOG_LINE_MAX_CHARS);
    if (this.head.length < LOG_HEAD_LINES) return void this.head.push(line);
    this.tail.push(line);
    if (this.tail.length > LOG_TAIL_LINES) {
      this.tail = this.tail.slice(-LOG_TAIL_LINES);
      this.dropped++;
    }
  }

  text(): string {
    const gap = this.dropped > 0 ? [`… ${this.dropped} lines left out …`] : [];
    return [...this.head, ...gap, ...this.tail].map((l) => `${l}\n`).join('');
  }

  /** The log so far as a content-addressed object (written before the event that names it), retried as the trajectory is. */
  async upload(objects: ObjectStore, retry?: RetryPolicy): Promise<LogRef> {
    const bytes = new TextEncoder().encode(this.text());
    const stored = await withRetry(() => objects.putContent(bytes, { contentType: LOG_CONTENT_TYPE }), retry);
    return { key: stored.key, contentType: stored.contentType, bytes: stored.size, sha256: stored.sha256 };
  }

  private redact(message: string): string {
    let out = message;
    for (const secret of this.secrets) if (secret.length >= 4) out = out.replaceAll(secret, REDACTED);
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}

/** This process's evaluation logs, by evaluation: the most recent MAX_EVALUATIONS, forgotten when an evaluation ends. */
export class EvaluationLogs {
  private readonly logs = new Map<string, EvaluationLog>();

  constructor(private readonly secrets: readonly string[] = []) {}

  of(evaluationId: string): EvaluationLog {
    let log = this.logs.get(evaluationId);
    if (log) this.logs.delete(evaluationId);
    else log = new EvaluationLog(this.secrets);
    this.logs.set(evaluationId, log);
    for (const oldest of this.logs.keys()) {
      if (this.logs.size <= MAX_EVALUATIONS) break;
      this.logs.delete(oldest);
    }
    return log;
  }

  forget(evaluationId: string): void {
    this.logs.delete(evaluationId);
  }
}
