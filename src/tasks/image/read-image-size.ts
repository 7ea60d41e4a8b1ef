import { readFile } from 'node:fs/promises'
import { isGif, readGifSize } from './gif-size.ts'
import { type ImageSize, singleFrame } from './image-size.ts'
import { readJpegSize } from './jpeg-size.ts'
import { isPng, readPngSize } from './png-size.ts'

export type { ImageSize, SourceFormat } from './image-size.ts'

function bmpSize(head: Buffer): ImageSize | null {
  if (head.length < 26) return null
  // OS/2 BITMAPCOREHEADER (12 bytes) has 16-bit sizes; every later header 32-bit, height negative for top-down.
  if (head.readUInt32LE(14) === 12) return singleFrame('bmp', head.readUInt16LE(18), head.readUInt16LE(20))
  return singleFrame('bmp', Math.abs(head.readInt32LE(18)), Math.abs(head.readInt32LE(22)))
}

/**
 * An image's size from its structure, without decoding it: the pixel limit must refuse a
 * decompression bomb before a decoder allocates its bitmap, and the size checked must be the one
 * the decoder will use, so each format is walked the way its decoder walks it. Throws
 * UnsupportedImageError for a structure the decoder would read differently from this walk; null
 * when the format is not recognised or the header is cut short.
 */
export function imageSizeOf(data: Buffer): ImageSize | null {
  if (isPng(data)) return readPngSize(data)
  if (isGif(data)) return readGifSize(data)
  if (data.length >= 2 && data.toString('latin1', 0, 2) === 'BM') return bmpSize(data)
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8) return readJpegSize(data)
  return null
}

/** imageSizeOf for a file: the whole file is read, since PNG chunks and GIF blocks run through it. */
export async function readImageSize(path: string): Promise<ImageSize | null> {
  return imageSizeOf(await readFile(path))
}
