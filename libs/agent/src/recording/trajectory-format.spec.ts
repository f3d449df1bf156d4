import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { exactJson } from './exact-json.js';
import { readTrajectory } from './trajectory-format.js';

const header = {
  format: 'kinitro.trajectory',
  version: 1,
  env: 'Pendulum-v1',
  task: 'Pendulum-v1',
  seed: 3,
  episodeIndex: 0,
  observationSpace: { kind: 'box', shape: [3], dtype: 'float32' },
  actionSpace: { kind: 'box', shape: [1], dtype: 'float32' },
  maxSteps: 2,
};
const step = (n: number, last = false) => ({
  step: n,
  observation: [1, -0, 0.5],
  action: ['NaN'],
  reward: -0.25,
  terminated: false,
  truncated: last,
  info: { success: false, action: { clipped: false, nonFinite: 1 } },
  actLatencyMs: 0.75,
  ...(last && { finalObservation: [0, 0, 0] }),
});
const file = (...lines: unknown[]) => gzipSync(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));

describe('exactJson', () => {
  it('writes -0 and the non-finite numbers JSON.stringify would lose, and float32 values exactly', () => {
    expect(exactJson({ a: -0, b: Number.NaN, c: [Infinity, -Infinity, 0.1], d: Float32Array.of(0.1), e: undefined, f: 'x"' })).toBe(
      '{"a":-0,"b":"NaN","c":["Infinity","-Infinity",0.1],"d":[0.10000000149011612],"f":"x\\""}',
    );
    expect(Object.is(JSON.parse(exactJson(-0)), -0)).toBe(true);
  });
});

describe('readTrajectory', () => {
  it('reads the header and the steps, non-finite names back as numbers', () => {
    const { header: h, steps } = readTrajectory(file(header, step(1), step(2, true)));
    expect(h).toEqual(header);
    expect(steps).toHaveLength(2);
    expect(steps[0]!.action).toEqual([Number.NaN]);
    expect(Object.is(steps[0]!.observation[1], -0)).toBe(false); // JSON.stringify wrote 0 here: only exactJson keeps -0
    expect(steps[1]!.finalObservation).toEqual([0, 0, 0]);
  });

  it('names what is wrong, and where', () => {
    expect(() => readTrajectory(Buffer.from('{"format":1}\n'))).toThrow(/^not gzip data/);
    expect(() => readTrajectory(gzipSync('{"format"\n'))).toThrow(/^line 1: not JSON/);
    expect(() => readTrajectory(file({ ...header, version: 2 }, step(1, true)))).toThrow('line 1 (header): version: Invalid input: expected 1');
    expect(() => readTrajectory(file(header))).toThrow('no steps after the header');
    expect(() => readTrajectory(file(header, step(2, true)))).toThrow('line 2 (step 1): step is 2, expected 1');
    expect(() => readTrajectory(file(header, step(1), step(2)))).toThrow('line 3 (step 2): the last step neither terminated nor truncated the episode');
    expect(() => readTrajectory(file(header, step(1, true), step(2, true)))).toThrow('line 2 (step 1): the episode ended before the last line');
    expect(() => readTrajectory(file(header, { ...step(1, true), observation: [1, 2] }))).toThrow('observation has 2 values, the observation space 3');
    expect(() => readTrajectory(file(header, { ...step(1, true), reward: 'lots' }))).toThrow(/line 2 \(step 1\): reward: /);
    expect(() => readTrajectory(file({ ...header, maxSteps: 1 }, step(1), step(2, true)))).toThrow("line 3 (step 2): beyond the header's maxSteps 1");
    const { finalObservation: _, ...noFinal } = step(1, true);
    expect(() => readTrajectory(file(header, noFinal))).toThrow('line 2 (step 1): the last step has no finalObservation');
  });
});
