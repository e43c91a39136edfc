// Draws the app icons (manifest/color.png 192×192, manifest/outline.png 32×32) with node:zlib only,
// so they can be regenerated without an image editor: `npx tsx scripts/make-icons.ts`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];
type Shader = (x: number, y: number) => Rgba | undefined;

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Renders with 4×4 supersampling so edges are smooth. */
export function png(size: number, shade: Shader): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const c = shade(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4);
          if (!c) continue;
          for (let i = 0; i < 3; i++) acc[i] = (acc[i] ?? 0) + (c[i] ?? 0) * (c[3] / 255);
          acc[3] = (acc[3] ?? 0) + c[3];
        }
      const alpha = (acc[3] ?? 0) / 16;
      for (let i = 0; i < 3; i++)
        row[1 + x * 4 + i] = alpha ? Math.round((acc[i] ?? 0) / ((acc[3] ?? 1) / 255)) : 0;
      row[1 + x * 4 + 3] = Math.round(alpha);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inRoundRect = (x: number, y: number, l: number, t: number, r: number, b: number, radius: number) => {
  const cx = Math.max(l + radius, Math.min(x, r - radius));
  const cy = Math.max(t + radius, Math.min(y, b - radius));
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2 && x >= l && x <= r && y >= t && y <= b;
};

const nearSegment = (x: number, y: number, ax: number, ay: number, bx: number, by: number, width: number) => {
  const t = Math.max(
    0,
    Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
  );
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= width / 2;
};

/** A card with two text lines and a check mark: a lead, handled. Coordinates on a 0..1 square. */
function leadCard(s: number, ink: Rgba, accent: Rgba, paper: Rgba | undefined): Shader {
  return (px, py) => {
    const x = px / s;
    const y = py / s;
    const check =
      nearSegment(x, y, 0.5, 0.63, 0.58, 0.71, 0.075) || nearSegment(x, y, 0.58, 0.71, 0.75, 0.5, 0.075);
    if (check) return accent;
    const outer = inRoundRect(x, y, 0.2, 0.24, 0.8, 0.76, 0.07);
    const inner = inRoundRect(x, y, 0.26, 0.3, 0.74, 0.7, 0.03);
    if (outer && !inner) return ink;
    if (inRoundRect(x, y, 0.32, 0.37, 0.66, 0.42, 0.02) || inRoundRect(x, y, 0.32, 0.48, 0.52, 0.53, 0.02))
      return ink;
    if (inner) return paper;
    return undefined;
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const blue: Rgba = [37, 99, 235, 255];
  const white: Rgba = [255, 255, 255, 255];
  const green: Rgba = [134, 239, 172, 255];
  const color = leadCard(192, white, green, blue);
  writeFileSync(
    'manifest/color.png',
    png(192, (x, y) => color(x, y) ?? blue),
  );
  // Outline: white on fully transparent, no padding (Teams requirement); the check is white too.
  const outline = leadCard(32, white, white, undefined);
  writeFileSync(
    'manifest/outline.png',
    png(32, (x, y) => outline((x - 16) * 1.35 + 16, (y - 16) * 1.35 + 16)),
  );
  console.log('wrote manifest/color.png and manifest/outline.png');
}
