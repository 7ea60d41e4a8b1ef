import { readFile } from 'node:fs/promises'
import { isGif, readGifSize } from './gif-size.ts'
import { UnsupportedImageError } from './image-errors.ts'
import { type ImageSize, singleFrame } from './image-size.ts'
import { readJpegSize } from './jpeg-size.ts'
import { isPng, readPngSize } from './png-size.ts'

export type { ImageSize, SourceFormat } from './image-size.ts'

/** DIB header sizes bmp-ts reads (BITMAPINFOHEADER and its V2-V5 successors); it throws on others. */
const BMP_HEADERS = new Set([40, 52, 56, 108, 124])

/** A BMP's size as bmp-ts reads it: width unsigned, height signed (negative for top-down rows). */
function bmpSize(head: Buffer): ImageSize | null {
  if (head.length < 26) return null
  const headerSize = head.readUInt32LE(14)
  if (!BMP_HEADERS.has(headerSize))
    throw new UnsupportedImageError(`BMP header size ${headerSize} is not one the decoder reads`)
  return singleFrame('bmp', head.readUInt32LE(18), Math.abs(head.readInt32LE(22)))
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
