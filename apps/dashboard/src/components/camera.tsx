import { frameIndexAt, spriteOffset } from '../timeline.js';

export interface FrameRef {
  camera: string;
  url: string | null;
  steps: number[];
  layout: { columns: number; rows: number; frameWidth: number; frameHeight: number } | null;
}

/**
 * One camera at the viewer's step: the tile of its sprite sheet rendered at or before the step, shown with nothing
 * but CSS (docs/formats.md, "Frames"), scaled up without smoothing.
 */
export const Camera = ({ frames, step, scale = 4 }: { frames: FrameRef; step: number; scale?: number }) => {
  if (!frames.layout || !frames.url) return <p class="muted">{frames.camera}: no frames</p>;
  const { columns, rows, frameWidth, frameHeight } = frames.layout;
  const index = frameIndexAt(frames.steps, step);
  const { x, y } = spriteOffset(index, frames.layout);
  const shown = frames.steps[index]!;
  return (
    <figure class="camera">
      <div
        role="img"
        aria-label={`camera ${frames.camera} at step ${shown}`}
        data-testid={`camera-${frames.camera}`}
        data-frame-index={index}
        data-frame-step={shown}
        style={{
          width: `${frameWidth * scale}px`,
          height: `${frameHeight * scale}px`,
          backgroundImage: `url("${frames.url}")`,
          backgroundSize: `${columns * frameWidth * scale}px ${rows * frameHeight * scale}px`,
          backgroundPosition: `${x * scale}px ${y * scale}px`,
          imageRendering: 'pixelated',
        }}
      />
      <figcaption>
        {frames.camera} · frame of step {shown}
      </figcaption>
    </figure>
  );
};
