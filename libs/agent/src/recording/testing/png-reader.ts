import { inflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * For tests: an independent reader of the PNGs encodePng writes (8-bit RGB, no interlace, filter 0 on every
 * row), from the bytes: signature, IHDR, the IDAT chunks inflated and unfiltered. Throws on anything else.
 */
export const readPng = (png: Uint8Array): { width: number; height: number; rgb: Uint8Array } => {
  const bytes = Buffer.from(png);
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error('not a PNG signature');
  if (bytes.toString('ascii', 12, 16) !== 'IHDR') throw new Error('first chunk is not IHDR');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const [depth, colour, compression, filter, interlace] = bytes.subarray(24, 29);
  if (depth !== 8 || colour !== 2 || compression !== 0 || filter !== 0 || interlace !== 0)
    throw new Error(`not 8-bit RGB without interlace: ${[depth, colour, compression, filter, interlace].join(',')}`);
  const idat: Buffer[] = [];
  let ended = false;
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('ascii', at + 4, at + 8);
    if (type === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') ended = true;
    at += 12 + length;
  }
  if (!ended) throw new Error('no IEND chunk');
  const stride = width * 3 + 1;
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== stride * height) throw new Error(`IDAT inflates to ${raw.length} bytes, expected ${stride * height}`);
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    if (raw[y * stride] !== 0) throw new Error(`row ${y} uses filter ${raw[y * stride]}`);
    rgb.set(raw.subarray(y * stride + 1, (y + 1) * stride), y * width * 3);
  }
  return { width, height, rgb };
};
