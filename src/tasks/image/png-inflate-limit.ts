import { inflateSync } from 'node:zlib'
import { UnsupportedImageError } from './image-errors.ts'
import { isPng } from './png-size.ts'

/** Samples per pixel of each PNG colour type. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }
/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const

/** Bytes of filtered scanlines an interlaced image of this header holds: every pass, a filter byte per row. */
export function adam7Bytes(width: number, height: number, bitsPerPixel: number): number {
  let total = 0
  for (const [x0, y0, dx, dy] of ADAM7) {
    const columns = Math.max(0, Math.ceil((width - x0) / dx))
    const rows = Math.max(0, Math.ceil((height - y0) / dy))
    if (columns > 0) total += rows * (1 + Math.ceil((columns * bitsPerPixel) / 8))
  }
  return total
}

/** The IDAT chunks' data, in order: the one zlib stream of a PNG's pixels. */
function idatData(data: Buffer): Buffer {
  const parts: Buffer[] = []
  for (let pos = 8; pos + 8 <= data.length; ) {
    const length = data.readUInt32BE(pos)
    const type = data.toString('latin1', pos + 4, pos + 8)
    if (type === 'IEND') break
    if (type === 'IDAT') parts.push(data.subarray(pos + 8, pos + 8 + length))
    pos += 12 + length
  }
  return Buffer.concat(parts)
}

/**
 * pngjs bounds the inflated pixel data of a plain PNG by the size its IHDR declares, but inflates an
 * interlaced one without any bound (and only then finds it too long): a 1×1 interlaced PNG could
 * inflate to gigabytes. Its data is inflated here first, bounded by the exact size the IHDR allows.
 * Data that is corrupt in any other way is left for the decoder to report.
 */
export function checkPngInflatedSize(data: Buffer): void {
  if (!isPng(data) || data.length < 29 || data[28] !== 1) return
  const [width, height] = [data.readUInt32BE(16), data.readUInt32BE(20)]
  const bitsPerPixel = (CHANNELS[data[25] as number] ?? 4) * (data[24] as number)
  const allowed = adam7Bytes(width, height, bitsPerPixel)
  try {
    inflateSync(idatData(data), { maxOutputLength: Math.max(1, allowed) })
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') return
    throw new UnsupportedImageError(
      `image.process: the PNG pixel data inflates to more than the ${allowed} bytes its ${width}×${height} interlaced IHDR allows`,
    )
  }
}
