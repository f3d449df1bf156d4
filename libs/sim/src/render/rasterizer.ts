// Module-scope bindings: global lookups are slow inside vm contexts (jest), and these run per triangle.
const { ceil, floor, max, min } = Math;
const INF = Number.POSITIVE_INFINITY;

/**
 * A z-buffered triangle rasterizer over an RGB byte image. Vertices arrive in screen space with
 * w = 1 / depth, which is linear in screen space, so depth is interpolated exactly; a larger w is
 * closer. Pixel centres are at (x + 0.5, y + 0.5). Only IEEE double arithmetic, so the same
 * input gives the same bytes everywhere.
 */
export class Rasterizer {
  readonly rgb: Uint8Array;
  private readonly depth: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rgb = new Uint8Array(width * height * 3);
    this.depth = new Float64Array(width * height);
  }

  clear(r: number, g: number, b: number): void {
    for (let i = 0; i < this.rgb.length; i += 3) {
      this.rgb[i] = r;
      this.rgb[i + 1] = g;
      this.rgb[i + 2] = b;
    }
    this.depth.fill(0);
  }

  triangle(x0: number, y0: number, w0: number, x1: number, y1: number, w1: number, x2: number, y2: number, w2: number, r: number, g: number, b: number): void {
    const area = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0);
    if (area === 0 || area !== area || area === INF || area === -INF) return;
    const minX = max(0, floor(min(x0, x1, x2)));
    const maxX = min(this.width - 1, ceil(max(x0, x1, x2)));
    const minY = max(0, floor(min(y0, y1, y2)));
    const maxY = min(this.height - 1, ceil(max(y0, y1, y2)));
    if (minX > maxX || minY > maxY) return;
    const inv = 1 / area;
    for (let py = minY; py <= maxY; py++) {
      const cy = py + 0.5;
      for (let px = minX; px <= maxX; px++) {
        const cx = px + 0.5;
        // Barycentric weights from the edge functions, sign-normalised by the area.
        const e0 = ((x2 - x1) * (cy - y1) - (y2 - y1) * (cx - x1)) * inv;
        if (e0 < 0) continue;
        const e1 = ((x0 - x2) * (cy - y2) - (y0 - y2) * (cx - x2)) * inv;
        if (e1 < 0) continue;
        const e2 = 1 - e0 - e1;
        if (e2 < 0) continue;
        const w = e0 * w0 + e1 * w1 + e2 * w2;
        const idx = py * this.width + px;
        if (w <= this.depth[idx]!) continue;
        this.depth[idx] = w;
        const o = idx * 3;
        this.rgb[o] = r;
        this.rgb[o + 1] = g;
        this.rgb[o + 2] = b;
      }
    }
  }
}
