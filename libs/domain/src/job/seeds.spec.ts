import { describe, expect, it } from '@jest/globals';
import { deriveSeeds, episodeSeed } from './seeds.js';

// The documented formula, re-derived independently with Python (seed of slot s = first 32 bits of the UUIDv5):
//   /usr/bin/python3 -c "import uuid; ns = uuid.UUID('6f1c2a4e-8d1b-5b7a-9c3e-2f4d6a8b0c1e');
//     print([int(str(uuid.uuid5(ns, 'seed|0192f1a0-7c3e-7901-8a1b-000000000901|%d' % s))[:8], 16) for s in range(6)])"
// Frozen jobs carry their seeds, but a re-derivation (reruns, audits of an episode) must give the same ones.
const JOB = '0192f1a0-7c3e-7901-8a1b-000000000901';
const GOLDEN = [828183498, 3871274757, 2265015315, 3509182816, 1745399368, 2323304774];

describe('job seeds are pinned', () => {
  it('derives seed s from UUIDv5("seed|<jobId>|<s>"), task-major', () => {
    expect(deriveSeeds(JOB, { tasks: ['reach-v3', 'push-v3'], episodesPerTask: 3 })).toEqual(GOLDEN);
  });

  it('finds an episode by task and index in that order', () => {
    const benchmark = { tasks: ['reach-v3', 'push-v3'], episodesPerTask: 3, seeds: GOLDEN };
    expect(episodeSeed(benchmark, 'push-v3', 0)).toBe(3509182816);
    expect(() => episodeSeed(benchmark, 'push-v3', 3)).toThrow(RangeError);
  });
});
