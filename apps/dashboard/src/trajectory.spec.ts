import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { parseTrajectory, trajectoryText, TrajectoryFormatError } from './trajectory.js';

const HEADER =
  '{"format":"kinitro.trajectory","version":1,"env":"CartPole-v1","task":"CartPole-v1","seed":7,"episodeIndex":2,"observationSpace":{"kind":"box","shape":[4],"dtype":"float32"},"actionSpace":{"kind":"discrete","shape":[],"dtype":"int64","n":2},"maxSteps":20}';

/** Lines written as docs/formats.md says: -0 as a literal, NaN and the infinities as strings. */
const LINES = [
  HEADER,
  '{"step":1,"observation":[0,0,0,0],"action":1,"reward":1,"terminated":false,"truncated":false,"info":{"success":false,"action":{"clipped":false,"nonFinite":0}},"actLatencyMs":0.5}',
  '{"step":2,"observation":[0,-0,0,0],"action":["NaN",-0,"Infinity"],"reward":"-Infinity","terminated":false,"truncated":true,"info":{"success":true,"action":{"clipped":true,"nonFinite":2}},"actLatencyMs":0.5,"finalObservation":[0,0,0,0]}',
];

describe('parseTrajectory', () => {
  it('reads the header and every step, numbers from their strings, a discrete action as one value', () => {
    const t = parseTrajectory(LINES.join('\n') + '\n');
    expect(t.header).toMatchObject({ env: 'CartPole-v1', seed: 7, maxSteps: 20 });
    expect(t.steps[0]).toEqual({ step: 1, reward: 1, success: false, terminated: false, truncated: false, action: [1], nonFinite: false });
    expect(t.steps[1]!.action[0]).toBeNaN();
    expect(Object.is(t.steps[1]!.action[1], -0)).toBe(true);
    expect(t.steps[1]).toMatchObject({ reward: -Infinity, success: true, truncated: true, nonFinite: true });
    expect(t.steps[1]!.action[2]).toBe(Infinity);
  });

  it('refuses another format or a missing step, naming the line', () => {
    expect(() => parseTrajectory('{"format":"other","version":1}\n')).toThrow(TrajectoryFormatError);
    expect(() => parseTrajectory([HEADER, LINES[2]].join('\n'))).toThrow('line 2: step is 2, expected 1');
  });
});

describe('trajectoryText', () => {
  it('gunzips the object and passes text a proxy already decoded', async () => {
    const text = LINES.join('\n');
    const gz = gzipSync(text);
    expect(await trajectoryText(gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.byteLength))).toBe(text);
    expect(await trajectoryText(new TextEncoder().encode(text).buffer)).toBe(text);
  });
});
