import type { z } from 'zod';
import type { spriteLayoutSchema } from '#contracts';
import { encodePng, type Frame } from '#sim';

export type SpriteLayout = z.infer<typeof spriteLayoutSchema>;

export const FRAMES_CONTENT_TYPE = 'image/png';
/** Most frames one camera's sheet holds. */
export const MAX_SHEET_FRAMES = 64;
/** Most pixels an episode's frames (every camera) may hold in memory: 2^24, 48 MiB of RGB. */
export const MAX_FRAME_PIXELS = 2 ** 24;

/**
 * How many frames each camera may keep: at most MAX_SHEET_FRAMES, and together within MAX_FRAME_PIXELS, but
 * never fewer than 2 (the first and the last step).
 */
export const sheetCapacity = (width: number, height: number, cameras: number): number =>
  Math.max(2, Math.min(MAX_SHEET_FRAMES, Math.floor(MAX_FRAME_PIXELS / (width * height * cameras))));

/**
 * Every how many steps a frame is rendered, so that an episode of up to `limit` steps fits `capacity` frames:
 * the asked interval, widened when needed. Frames are taken at step 0, every `interval` steps, and at the last
 * step T: ⌈T/interval⌉ + 1 of them, so ⌈limit/interval⌉ ≤ capacity − 1 is what it takes.
 */
export const frameInterval = (limit: number, everyNSteps: number, capacity: number): number => Math.max(everyNSteps, Math.ceil(limit / (capacity - 1)));

/** The grid of `frames` frames: ⌈√frames⌉ columns, as many rows as needed (frame i at column i % columns, row ⌊i / columns⌋). */
export const spriteLayout = (frames: number, frameWidth: number, frameHeight: number): SpriteLayout => {
  if (!Number.isSafeInteger(frames) || frames < 1) throw new RangeError(`a sprite sheet needs at least one frame, got ${frames}`);
  const columns = Math.ceil(Math.sqrt(frames));
  return { columns, rows: Math.ceil(frames / columns), frameWidth, frameHeight };
};

/** One PNG of every frame in the layout's grid; cells after the last frame stay black. */
export const encodeSpriteSheet = (frames: readonly Frame[]): { png: Buffer; layout: SpriteLayout } => {
  const { width, height } = frames[0] ?? { width: 0, height: 0 };
  const layout = spriteLayout(frames.length, width, height);
  const sheetWidth = layout.columns * width;
  const rgb = new Uint8Array(sheetWidth * layout.rows * height * 3);
  frames.forEach((frame, i) => {
    if (frame.width !== width || frame.height !== height)
      throw new RangeError(`frame ${i} is ${frame.width}×${frame.height}, the sheet's frames ${width}×${height}`);
    const x0 = (i % layout.columns) * width;
    const y0 = Math.floor(i / layout.columns) * height;
    for (let y = 0; y < height; y++) {
      rgb.set(frame.rgb.subarray(y * width * 3, (y + 1) * width * 3), ((y0 + y) * sheetWidth + x0) * 3);
    }
  });
  return { png: encodePng(rgb, sheetWidth, layout.rows * height), layout };
};
