import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Jimp } from 'jimp'

/** A real image with some structure (a gradient), so encoders have work to do. */
export async function makeImage(
  width: number,
  height: number,
  mime: 'image/jpeg' | 'image/png' | 'image/bmp' | 'image/gif',
): Promise<Buffer> {
  const image = new Jimp({ width, height, color: 0x336699ff })
  const data = image.bitmap.data
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      data[i] = (x * 255) / width
      data[i + 1] = (y * 255) / height
    }
  return mime === 'image/jpeg' ? image.getBuffer(mime, { quality: 85 }) : image.getBuffer(mime)
}

export function writeUnder(root: string, path: string, data: Buffer | string): string {
  const full = join(root, path)
  mkdirSync(dirname(full), { recursive: true })
  writeFileSync(full, data)
  return full
}

/** A PNG whose header declares `width`×`height` but carries no real pixel data: a bomb's calling card. */
export function pngHeader(width: number, height: number): Buffer {
  const header = Buffer.alloc(33)
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0)
  header.writeUInt32BE(13, 8)
  header.write('IHDR', 12, 'ascii')
  header.writeUInt32BE(width, 16)
  header.writeUInt32BE(height, 20)
  header.set([8, 6, 0, 0, 0], 24)
  return header
}
