import { UnsupportedImageError } from './image-errors.ts'
import { type ImageSize, singleFrame } from './image-size.ts'

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
/** length, type, data, CRC: the bytes a chunk takes besides its data. */
const CHUNK_OVERHEAD = 12

export function isPng(data: Buffer): boolean {
  return data.length >= SIGNATURE.length && data.subarray(0, SIGNATURE.length).equals(SIGNATURE)
}

/**
 * A PNG's size as the decoder (pngjs) will see it. pngjs insists on IHDR as the first chunk but then
 * takes the size from every IHDR it meets, so the last one wins: a 1×1 IHDR followed by a huge one
 * would pass a check of the first. The chunks are walked the way pngjs walks them (up to IEND or the
 * end of the data) and a second IHDR anywhere is refused. Null when the IHDR is cut short.
 */
export function readPngSize(data: Buffer): ImageSize | null {
  if (data.length < 16) return null
  if (data.toString('latin1', 12, 16) !== 'IHDR')
    throw new UnsupportedImageError('PNG does not start with its IHDR chunk')
  if (data.readUInt32BE(8) !== 13) throw new UnsupportedImageError('PNG IHDR chunk is not 13 bytes long')
  if (data.length < 24) return null
  let pos = SIGNATURE.length + CHUNK_OVERHEAD + 13
  while (pos + 8 <= data.length) {
    const type = data.toString('latin1', pos + 4, pos + 8)
    if (type === 'IHDR')
      throw new UnsupportedImageError(
        `PNG has a second IHDR chunk at byte ${pos} (the decoder would take its size)`,
      )
    if (type === 'IEND') break
    pos += CHUNK_OVERHEAD + data.readUInt32BE(pos)
  }
  return singleFrame('png', data.readUInt32BE(16), data.readUInt32BE(20))
}
