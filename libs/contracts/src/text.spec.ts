import { describe, expect, it } from '@jest/globals';
import { sanitizeText, text, TRUNCATION_MARKER } from './text.js';

describe('sanitizeText', () => {
  it('replaces U+0000 and lone surrogates with U+FFFD and keeps valid pairs', () => {
    expect(sanitizeText('a\u0000b\ud800c\udc00d🤖', 100)).toBe('a\ufffdb\ufffdc\ufffdd🤖');
  });

  it('leaves short clean text alone', () => {
    expect(sanitizeText('kinitro.json: name: required', 100)).toBe('kinitro.json: name: required');
  });

  it('bounds the length (in UTF-16 units, as zod counts) and marks the cut', () => {
    const out = sanitizeText('x'.repeat(5000), 2000);
    expect(out).toHaveLength(2000);
    expect(out.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it('never cuts a surrogate pair in half', () => {
    // 'ab' + 🤖 (two units) …: a cut after 3 units would leave a lone high surrogate.
    const out = sanitizeText('ab🤖🤖🤖', 4);
    expect(out).toBe(`ab${TRUNCATION_MARKER}`);
    expect(text().max(4).safeParse(out).success).toBe(true);
  });

  it('always yields what the contract accepts', () => {
    for (const input of ['\u0000'.repeat(3000), '\ud83d'.repeat(3000), '🤖'.repeat(3000), `${'a'.repeat(1998)}🤖`]) {
      expect(text().max(2000).safeParse(sanitizeText(input, 2000)).success).toBe(true);
    }
  });
});
