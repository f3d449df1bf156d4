import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { UnknownCameraError } from '../core/errors.js';
import type { SawyerXYZEnv } from '../metaworld/sawyer-env.js';
import { makeMetaWorldEnv } from '../registry.js';
import { crc32, encodePng } from './png.js';
import { SceneRenderer } from './scene-renderer.js';

/** WASM loading and physics; generous because several suites share 2 cores. */
const SLOW = 30_000;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Golden frame: reach-v3, seed 0, right after reset, camera `corner`, 128×128. */
const GOLDEN_RGB_SHA256 = 'a497912b0486cd494feda707d6d83d42048bf99c18325c209d6abd12177cfef3';
/** The PNG also depends on Node's bundled zlib (deflate level 9); the pixels above do not. */
const GOLDEN_PNG_SHA256 = '9f01b4e9cedbb5f2b45db84534216acb99d3eacea7e6ace1ec2596a02f86b785';

describe('SceneRenderer', () => {
  let env: SawyerXYZEnv;
  beforeAll(async () => {
    env = await makeMetaWorldEnv('reach-v3');
  }, SLOW);
  afterAll(() => env.close());

  it(
    'renders the golden frame byte for byte (RGB and PNG)',
    () => {
      env.reset({ seed: 0 });
      const renderer = new SceneRenderer(env.physics);
      const frame = renderer.render('corner');
      expect([frame.width, frame.height, frame.rgb.length]).toEqual([128, 128, 128 * 128 * 3]);
      expect(sha256(frame.rgb)).toBe(GOLDEN_RGB_SHA256);
      expect(sha256(renderer.renderPng('corner'))).toBe(GOLDEN_PNG_SHA256);
    },
    SLOW,
  );

  it(
    "offers MetaWorld's named cameras and lists them for an unknown one",
    () => {
      const renderer = new SceneRenderer(env.physics, { width: 84, height: 84 });
      expect(renderer.cameras()).toEqual(expect.arrayContaining(['corner', 'corner2', 'topview', 'gripperPOV']));
      expect(() => renderer.render('overhead')).toThrow(UnknownCameraError);
      expect(() => renderer.render('overhead')).toThrow(/corner2/);
      expect(renderer.render('topview').rgb).toHaveLength(84 * 84 * 3);
    },
    SLOW,
  );

  it(
    'shows the scene: the red reach puck is seen from the gripper camera, and views differ',
    () => {
      env.reset({ seed: 0 });
      const renderer = new SceneRenderer(env.physics);
      const views = ['corner', 'topview', 'gripperPOV'].map((c) => renderer.render(c).rgb);
      expect(new Set(views.map(sha256)).size).toBe(3);
      const colours = new Set<number>();
      for (let i = 0; i < views[0]!.length; i += 3) colours.add((views[0]![i]! << 16) | (views[0]![i + 1]! << 8) | views[0]![i + 2]!);
      expect(colours.size).toBeGreaterThan(20);
      const pov = views[2]!;
      let red = 0;
      for (let i = 0; i < pov.length; i += 3) if (pov[i]! > 150 && pov[i + 1]! < 60 && pov[i + 2]! < 60) red++;
      expect(red).toBeGreaterThan(50);
    },
    SLOW,
  );

  it(
    'does not disturb the simulation: observations with and without rendering are identical',
    () => {
      const run = (render: boolean): number[][] => {
        const renderer = new SceneRenderer(env.physics, { width: 32, height: 32 });
        const out = [Array.from(env.reset({ seed: 5 }).observation)];
        for (let i = 0; i < 15; i++) {
          if (render) renderer.render('corner');
          out.push(Array.from(env.step([0.3, -0.2, 0.5, 1]).observation));
        }
        return out;
      };
      expect(run(true)).toEqual(run(false));
    },
    SLOW,
  );

  it(
    'encodes a valid PNG whose chunks check out and whose pixels decode back',
    () => {
      const rgb = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) & 0xff);
      const png = encodePng(rgb, 5, 3);
      expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const chunks: { type: string; data: Buffer }[] = [];
      for (let at = 8; at < png.length;) {
        const length = png.readUInt32BE(at);
        const type = png.toString('ascii', at + 4, at + 8);
        const data = png.subarray(at + 8, at + 8 + length);
        expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
        chunks.push({ type, data });
        at += 12 + length;
      }
      expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
      expect([chunks[0]!.data.readUInt32BE(0), chunks[0]!.data.readUInt32BE(4), chunks[0]!.data[8], chunks[0]!.data[9]]).toEqual([5, 3, 8, 2]);
      const raw = inflateSync(chunks[1]!.data);
      const rows = [0, 1, 2].map((y) => Array.from(raw.subarray(y * 16 + 1, y * 16 + 16)));
      expect(rows.flat()).toEqual(Array.from(rgb));
      expect(() => encodePng(rgb, 4, 3)).toThrow(RangeError);
    },
    SLOW,
  );
});
