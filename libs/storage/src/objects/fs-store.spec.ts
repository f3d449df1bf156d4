import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidObjectKeyError } from './errors.js';
import { FsObjectStore } from './fs-store.js';
import { checkKey } from './keys.js';

const root = resolve('/srv/kinitro-objects');
const objects = join(root, 'objects');
const store = new FsObjectStore({ dir: root, publicBaseUrl: 'https://cdn.example.org/kinitro/objects' });

/** Keys built from the pieces path traversal is made of, and from arbitrary text. */
const segment = fc.oneof(
  fc.constantFrom('', '.', '..', '...', '\\', '..\\..', '%2e%2e', '~', 'C:', '\u0000', ' ', 'sha256'),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const key = fc.tuple(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 6 })).map(([absolute, parts]) => (absolute ? '/' : '') + parts.join('/'));

describe('FsObjectStore key → path', () => {
  it('maps every accepted key one to one under objects/, and refuses the rest (fuzzed)', () => {
    fc.assert(
      fc.property(key, (k) => {
        let accepted: string;
        try {
          accepted = checkKey(k);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidObjectKeyError);
          return;
        }
        const path = store.pathOf(accepted);
        expect(path.startsWith(objects + sep)).toBe(true);
        expect(relative(objects, path).split(sep).join('/')).toBe(k);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses a traversing key even if it reached the mapping unchecked', () => {
    expect(() => store.pathOf('../../etc/passwd')).toThrow(InvalidObjectKeyError);
    expect(() => store.pathOf('a/../../x')).toThrow(InvalidObjectKeyError);
  });
});

describe('FsObjectStore URLs', () => {
  it('are the public base plus the key, each segment percent-encoded', async () => {
    expect(await store.url('sha256/ab12')).toEqual({ url: 'https://cdn.example.org/kinitro/objects/sha256/ab12', expiresAt: undefined });
    expect((await store.url('frames/cam 1#x?.bin')).url).toBe('https://cdn.example.org/kinitro/objects/frames/cam%201%23x%3F.bin');
  });

  it('are absent, with the reason, without a public base', async () => {
    const minted = await new FsObjectStore({ dir: root }).url('sha256/ab12');
    expect(minted).toEqual({ url: undefined, reason: expect.stringContaining('OBJECT_STORE_PUBLIC_URL') });
  });
});
