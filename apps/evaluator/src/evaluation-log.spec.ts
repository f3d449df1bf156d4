import { describe, expect, it } from '@jest/globals';
import { EvaluationLog, EvaluationLogs, LOG_HEAD_LINES, LOG_LINE_MAX_CHARS, LOG_TAIL_LINES } from './evaluation-log.js';

const at = () => new Date('2026-12-02T10:00:00.000Z');
const lines = (log: EvaluationLog) => log.text().split('\n').slice(0, -1);

describe("the evaluator's log of an evaluation", () => {
  it('is one line per note: time, kind, message, newlines folded', () => {
    const log = new EvaluationLog([], at);
    log.note('item', 'episode 1');
    log.note('error', 'first\nsecond');
    expect(log.text()).toBe('2026-12-02T10:00:00.000Z item episode 1\n2026-12-02T10:00:00.000Z error first ⏎ second\n');
  });

  it('keeps the first and the last lines and says how many in between were left out', () => {
    const log = new EvaluationLog([], at);
    const total = LOG_HEAD_LINES + LOG_TAIL_LINES + 7;
    for (let i = 0; i < total; i++) log.note('n', `line ${i}`);
    const kept = lines(log);
    expect(kept).toHaveLength(LOG_HEAD_LINES + 1 + LOG_TAIL_LINES);
    expect(kept[0]).toMatch(/ line 0$/);
    expect(kept[LOG_HEAD_LINES - 1]).toMatch(new RegExp(` line ${LOG_HEAD_LINES - 1}$`));
    expect(kept[LOG_HEAD_LINES]).toBe('… 7 lines left out …');
    expect(kept[LOG_HEAD_LINES + 1]).toMatch(new RegExp(` line ${LOG_HEAD_LINES + 7}$`));
    expect(kept.at(-1)).toMatch(new RegExp(` line ${total - 1}$`));
  });

  it('bounds each line and replaces U+0000 and lone surrogates', () => {
    const log = new EvaluationLog([], at);
    log.note('stderr', `a\u0000b\ud800c${'x'.repeat(5000)}`);
    const [line] = lines(log);
    expect(line!.length).toBe(LOG_LINE_MAX_CHARS);
    expect(line).toMatch(/ stderr a\uFFFDb\uFFFDcx+…$/);
  });

  it('redacts the configured secrets and what looks like a credential', () => {
    const log = new EvaluationLog(['s3cr3t-token'], at);
    log.note('error', 'GET https://hub.example/x?t=s3cr3t-token failed');
    log.note('error', `token hf_${'A'.repeat(34)} and kinitro_${'0'.repeat(32)}_${'b'.repeat(43)}`);
    log.note('error', 'Authorization: Bearer abc.def-ghi_jkl; https://user:pa55@host/path');
    log.note('error', 'https://rgw/b/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=deadbeef&x=1');
    expect(lines(log).map((l) => l.slice(25))).toEqual([
      'error GET https://hub.example/x?t=[redacted] failed',
      'error token [redacted] and [redacted]',
      'error Authorization: Bearer [redacted]; https://[redacted]@host/path',
      'error https://rgw/b/k?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&x=1',
    ]);
  });

  it('is one per evaluation on this process, kept across items until the evaluation ends or 64 newer ones came', () => {
    const logs = new EvaluationLogs();
    logs.of('a').note('item', 'first');
    expect(logs.of('a').text()).toMatch(/ item first\n$/);
    logs.forget('a');
    expect(logs.of('a').text()).toBe('');
    logs.of('a').note('item', 'kept');
    for (let i = 0; i < 63; i++) logs.of(`other-${i}`);
    expect(logs.of('a').text()).toMatch(/ item kept\n$/); // used again: now the newest
    for (let i = 63; i < 127; i++) logs.of(`other-${i}`);
    expect(logs.of('a').text()).toBe(''); // 64 newer ones pushed it out
  });
});
