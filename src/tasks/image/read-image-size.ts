import { type FileHandle, open } from 'node:fs/promises'

export type SourceFormat = 'png' | 'jpeg' | 'gif' | 'bmp'

export interface ImageSize {
  format: SourceFormat
  width: number
  height: number
}

/** JPEG start-of-frame markers (they carry the dimensions): C0-CF except DHT, JPG and DAC. */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])
/** How many JPEG segments to walk before giving up on finding the frame header. */
const MAX_SEGMENTS = 1_000

/**
 * Reads an image's declared size from its header bytes, without decoding it: the pixel limit must
 * refuse a decompression bomb before a decoder allocates its bitmap. Reads a few bytes per JPEG
 * segment, never the whole file. Null when the format is not recognised or the header is cut short.
 */
export async function readImageSize(path: string): Promise<ImageSize | null> {
  const file = await open(path, 'r')
  try {
    const head = await readAt(file, 0, 32)
    if (head.length >= 24 && head.readUInt32BE(0) === 0x89504e47 && head.toString('ascii', 12, 16) === 'IHDR')
      return { format: 'png', width: head.readUInt32BE(16), height: head.readUInt32BE(20) }
    if (head.length >= 10 && /^GIF8[79]a$/.test(head.toString('ascii', 0, 6)))
      return { format: 'gif', width: head.readUInt16LE(6), height: head.readUInt16LE(8) }
    if (head.length >= 26 && head.toString('ascii', 0, 2) === 'BM') return bmpSize(head)
    if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8) return await jpegSize(file)
    return null
  } finally {
    await file.close()
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await file.read(buffer, 0, length, position)
  return buffer.subarray(0, bytesRead)
}

function bmpSize(head: Buffer): ImageSize {
  // OS/2 BITMAPCOREHEADER (12 bytes) has 16-bit sizes; every later header 32-bit, height negative for top-down.
  if (head.readUInt32LE(14) === 12)
    return { format: 'bmp', width: head.readUInt16LE(18), height: head.readUInt16LE(20) }
  return { format: 'bmp', width: Math.abs(head.readInt32LE(18)), height: Math.abs(head.readInt32LE(22)) }
}

async function jpegSize(file: FileHandle): Promise<ImageSize | null> {
  let pos = 2
  for (let i = 0; i < MAX_SEGMENTS; i++) {
    const seg = await readAt(file, pos, 9)
    if (seg.length < 4 || seg[0] !== 0xff) return null
    const marker = seg[1] as number
    if (marker === 0xff) {
      pos += 1 // fill byte before a marker
      continue
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      pos += 2 // markers without a length
      continue
    }
    if (marker === 0xd9 || marker === 0xda) return null // end of image or scan data before any frame
    if (SOF.has(marker)) {
      if (seg.length < 9) return null
      return { format: 'jpeg', width: seg.readUInt16BE(7), height: seg.readUInt16BE(5) }
    }
    pos += 2 + seg.readUInt16BE(2)
  }
  return null
}
