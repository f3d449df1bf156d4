import { describe, expect, it } from '@jest/globals';
import { InvalidObjectKeyError } from './errors.js';
import { checkKey, checkPrefix, contentKey, sha256OfContentKey } from './keys.js';

// printf 'kinitro trajectory v1\n' | sha256sum
const SHA = '923db2857f38662ca7c2325df6e10edc2e2f233a8521d53891325e10f726dd48';

describe('content keys', () => {
  it('are sha256/<hex>, and give their hex back', () => {
    expect(contentKey(SHA)).toBe(`sha256/${SHA}`);
    expect(sha256OfContentKey(`sha256/${SHA}`)).toBe(SHA);
    expect(sha256OfContentKey('episodes/e1/trajectory')).toBeUndefined();
    expect(sha256OfContentKey(`sha256/${SHA}/x`)).toBeUndefined();
  });

  it('refuse anything but 64 lowercase hex digits', () => {
    for (const bad of [SHA.toUpperCase(), SHA.slice(1), `${SHA}0`, '', `../${SHA.slice(3)}`]) expect(() => contentKey(bad)).toThrow(InvalidObjectKeyError);
  });
});

describe('checkKey', () => {
  it('accepts relative /-separated keys', () => {
    for (const key of ['a', 'sha256/abc', 'episodes/e1/frames/cam 0.bin', '.hidden/x', 'a..b/c', 'ünïcode/ключ', '...']) expect(checkKey(key)).toBe(key);
  });

  it('refuses each way out of a directory or into ambiguity, saying why', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['/etc/passwd', /relative/],
      ['..', /"\.\." segment/],
      ['a/../../b', /"\.\." segment/],
      ['./a', /"\." segment/],
      ['a//b', /empty segment/],
      ['a/', /empty segment/],
      ['a\\..\\b', /backslash/],
      ['a\u0000b', /control/],
      ['line\nbreak', /control/],
      ['\ud800', /well-formed/],
      ['k'.repeat(1025), /longer than 1024/],
      ['é'.repeat(513), /longer than 1024/],
    ];
    for (const [key, reason] of cases) expect(() => checkKey(key)).toThrow(reason);
  });

  it('checks prefixes as the keys they start', () => {
    expect(checkPrefix('')).toBe('');
    expect(checkPrefix('runs/')).toBe('runs/');
    expect(checkPrefix('runs/r1')).toBe('runs/r1');
    expect(() => checkPrefix('../')).toThrow(InvalidObjectKeyError);
    expect(() => checkPrefix('/runs/')).toThrow(InvalidObjectKeyError);
  });
});
