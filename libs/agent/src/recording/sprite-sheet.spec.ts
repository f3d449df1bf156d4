import { describe, expect, it } from '@jest/globals';
import { encodeSpriteSheet, frameInterval, sheetCapacity, spriteLayout } from './sprite-sheet.js';
import { readPng } from './testing/png-reader.js';

describe('sprite sheet layout', () => {
  it('is a near-square grid: ⌈√n⌉ columns, as many rows as needed', () => {
    expect(spriteLayout(1, 240, 240)).toEqual({ columns: 1, rows: 1, frameWidth: 240, frameHeight: 240 });
    expect(spriteLayout(2, 64, 48)).toEqual({ columns: 2, rows: 1, frameWidth: 64, frameHeight: 48 });
    expect(spriteLayout(5, 64, 48)).toEqual({ columns: 3, rows: 2, frameWidth: 64, frameHeight: 48 });
    expect(spriteLayout(57, 64, 48)).toMatchObject({ columns: 8, rows: 8 });
    expect(spriteLayout(64, 64, 48)).toMatchObject({ columns: 8, rows: 8 });
    expect(spriteLayout(65, 64, 48)).toMatchObject({ columns: 9, rows: 8 });
    expect(() => spriteLayout(0, 64, 48)).toThrow('a sprite sheet needs at least one frame, got 0');
  });

  it('bounds the frames per camera by count and by pixels, never below two', () => {
    expect(sheetCapacity(240, 240, 1)).toBe(64); // 2^24 / 57600 = 291
    expect(sheetCapacity(240, 240, 7)).toBe(41); // 2^24 / 403200 = 41.6
    expect(sheetCapacity(1024, 1024, 4)).toBe(4);
    expect(sheetCapacity(1024, 1024, 16)).toBe(2);
  });

  it('widens the frame interval so a whole episode fits the sheet', () => {
    // 500 steps, a frame every step asked, 64 frames: every 8 steps (0, 8, …, 496 and 500: 63 + 1 frames)
    expect(frameInterval(500, 1, 64)).toBe(8);
    expect(frameInterval(500, 10, 64)).toBe(10); // 0, 10, …, 500: 51 frames, fits as asked
    expect(frameInterval(500, 1, 2)).toBe(500); // step 0 and the last only
  });
});

describe('encodeSpriteSheet', () => {
  it('places frame i at column i % columns, row ⌊i / columns⌋, in a PNG of the grid size', () => {
    const solid = (r: number, g: number, b: number) => ({ width: 2, height: 1, rgb: Uint8Array.of(r, g, b, r, g, b) });
    const { png, layout } = encodeSpriteSheet([solid(255, 0, 0), solid(0, 255, 0), solid(0, 0, 255)]);
    expect(layout).toEqual({ columns: 2, rows: 2, frameWidth: 2, frameHeight: 1 });
    const { width, height, rgb } = readPng(png);
    expect([width, height]).toEqual([4, 2]);
    const pixel = (x: number, y: number) => [...rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
    expect([pixel(0, 0), pixel(1, 0)]).toEqual([
      [255, 0, 0],
      [255, 0, 0],
    ]);
    expect([pixel(2, 0), pixel(3, 0)]).toEqual([
      [0, 255, 0],
      [0, 255, 0],
    ]);
    expect([pixel(0, 1), pixel(1, 1)]).toEqual([
      [0, 0, 255],
      [0, 0, 255],
    ]);
    expect([pixel(2, 1), pixel(3, 1)]).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]); // the unused cell
  });

  it('refuses frames of different sizes', () => {
    expect(() =>
      encodeSpriteSheet([
        { width: 1, height: 1, rgb: new Uint8Array(3) },
        { width: 2, height: 1, rgb: new Uint8Array(6) },
      ]),
    ).toThrow("frame 1 is 2×1, the sheet's frames 1×1");
  });
});
