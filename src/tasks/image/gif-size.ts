import { UnsupportedImageError } from './image-errors.ts'
import type { ImageSize } from './image-size.ts'

const TRAILER = 0x3b
const EXTENSION = 0x21
const IMAGE_DESCRIPTOR = 0x2c
const APPLICATION = 0xff
const GRAPHIC_CONTROL = 0xf9
const COMMENT = 0xfe

export function isGif(data: Buffer): boolean {
  return data.length >= 6 && /^GIF8[79]a$/.test(data.toString('latin1', 0, 6))
}

function refuse(reason: string): never {
  throw new UnsupportedImageError(reason)
}

function paletteBytes(flags: number): number {
  return flags & 0x80 ? 3 * (1 << ((flags & 7) + 1)) : 0
}

/** Steps over a chain of data sub-blocks (size byte, data; a zero size ends it). */
function skipSubBlocks(data: Buffer, start: number): number {
  let pos = start
  for (;;) {
    const size = data[pos]
    if (size === undefined) refuse(`GIF is cut short inside a block at byte ${start}`)
    pos += 1 + size
    if (size === 0) return pos
  }
}

/**
 * Steps over the extension block at `pos` the way the decoder (omggif) does. It reads only these
 * three, and an application block whose first sub-block is not 11 bytes long sends it down a
 * fixed-offset path that a sub-block walk would not follow: such blocks are refused, so both walks
 * stay in step.
 */
function skipExtension(data: Buffer, pos: number): number {
  const label = data[pos + 1]
  if (label === GRAPHIC_CONTROL) {
    if (data[pos + 2] !== 4 || data[pos + 7] !== 0)
      refuse(`GIF has a malformed graphic control block at byte ${pos}`)
    return pos + 8
  }
  if (label === APPLICATION && data[pos + 2] !== 11)
    refuse(`GIF has a malformed application block at byte ${pos}`)
  if (label === APPLICATION || label === COMMENT) return skipSubBlocks(data, pos + 2)
  return refuse(`GIF has an extension the decoder does not read (${label?.toString(16)}) at byte ${pos}`)
}

/**
 * A GIF's size and every frame in it, walking the blocks as the decoder (omggif) does. The decoder
 * draws a frame's own width×height into the logical screen's bitmap, so a frame larger than the
 * screen costs what the frame declares, not what the screen does: frames reaching outside the
 * screen are refused (then every frame is within the screen, and so within the pixel limit).
 * Null when the logical screen descriptor is cut short.
 */
export function readGifSize(data: Buffer): ImageSize | null {
  if (data.length < 10) return null
  const width = data.readUInt16LE(6)
  const height = data.readUInt16LE(8)
  let pos = 13 + paletteBytes(data[10] ?? 0)
  let frames = 0
  let framePixels = 0
  while (pos < data.length) {
    const block = data[pos] as number
    if (block === TRAILER) break
    if (block === EXTENSION) {
      pos = skipExtension(data, pos)
      continue
    }
    if (block !== IMAGE_DESCRIPTOR)
      refuse(`GIF has a block the decoder does not read (${block.toString(16)}) at byte ${pos}`)
    if (pos + 10 > data.length) refuse(`GIF is cut short inside a block at byte ${pos}`)
    const [x, y, w, h] = [1, 3, 5, 7].map((at) => data.readUInt16LE(pos + at)) as [
      number,
      number,
      number,
      number,
    ]
    frames++
    if (x + w > width || y + h > height)
      refuse(
        `GIF frame ${frames} (${w}×${h} at ${x},${y}) reaches outside the ${width}×${height} logical screen`,
      )
    framePixels += w * h
    // Local palette, then the LZW minimum code size byte, then the pixel data's sub-blocks.
    pos = skipSubBlocks(data, pos + 10 + paletteBytes(data[pos + 9] as number) + 1)
  }
  return { format: 'gif', width, height, frames, framePixels }
}
