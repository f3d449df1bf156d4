import { describe, expect, it } from '@jest/globals';
import { OutputTail } from './output-tail.js';

const fed = (capacity: number, ...chunks: string[]) => {
  const tail = new OutputTail(capacity);
  for (const chunk of chunks) tail.push(Buffer.from(chunk));
  return tail;
};

describe('OutputTail', () => {
  it('keeps everything while under capacity', () => {
    expect(fed(8, 'ab', 'cd').text()).toBe('abcd');
  });

  it('keeps the last bytes across wrap-arounds and counts all of them', () => {
    const tail = fed(5, 'abc', 'defg', 'h', 'ijklmnopq', 'rs');
    expect(tail.text()).toBe('opqrs');
    expect(tail.bytes).toBe(19);
  });

  it('fills exactly to capacity', () => {
    expect(fed(4, 'ab', 'cd').text()).toBe('abcd');
    expect(fed(4, 'abcd', '').text()).toBe('abcd');
  });

  it('keeps nothing with capacity zero but still counts', () => {
    const tail = fed(0, 'abc');
    expect(tail.text()).toBe('');
    expect(tail.bytes).toBe(3);
  });

  it('makes the tail storable text: a cut multi-byte character and U+0000 become U+FFFD', () => {
    expect(fed(3, 'x€y').text()).toBe('\uFFFD\uFFFDy'); // € is 3 bytes: the last 2 survive, each invalid alone
    expect(fed(8, 'a\u0000b').text()).toBe('a\uFFFDb');
  });

  it('matches a naive model on random chunks (fuzz)', () => {
    for (let round = 0; round < 200; round++) {
      const capacity = Math.floor(Math.random() * 20);
      const tail = new OutputTail(capacity);
      let all = '';
      for (let i = Math.floor(Math.random() * 10); i > 0; i--) {
        const chunk = 'abcdefghijklmnopqrstuvwxyz'.slice(0, Math.floor(Math.random() * 26));
        tail.push(Buffer.from(chunk));
        all += chunk;
      }
      expect(tail.text()).toBe(capacity === 0 ? '' : all.slice(-capacity));
      expect(tail.bytes).toBe(all.length);
    }
  });
});
