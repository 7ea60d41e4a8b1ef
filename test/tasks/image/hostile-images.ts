import { deflateSync } from 'node:zlib'
import { adam7Bytes } from '../../../src/tasks/image/png-inflate-limit.ts'

// Byte-level builders for hostile (and a few valid) images: PNG chunks with real CRCs, GIF blocks
// with real LZW data, JPEG markers. Everything is built at test time, so no fixture file is committed.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** One PNG chunk: length, type, data and the CRC the decoder checks. */
export function pngChunk(type: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(Bun.hash.crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** IHDR data for an 8-bit RGBA, non-interlaced image. */
export function ihdr(width: number, height: number): Buffer {
  const data = Buffer.alloc(13)
  data.writeUInt32BE(width, 0)
  data.writeUInt32BE(height, 4)
  data.set([8, 6, 0, 0, 0], 8)
  return data
}

/** IHDR data for an 8-bit RGBA image with Adam7 interlacing. */
export function interlacedIhdr(width: number, height: number): Buffer {
  const data = ihdr(width, height)
  data[12] = 1
  return data
}

/** Compressed pixel rows (filter byte 0, all pixels transparent black) for an 8-bit RGBA image. */
export function idat(width: number, height: number): Buffer {
  return deflateSync(Buffer.alloc((width * 4 + 1) * height))
}

/** Compressed Adam7 pixel data (every pass, filter byte 0 per row) for an 8-bit RGBA image. */
export function interlacedIdat(width: number, height: number): Buffer {
  return deflateSync(Buffer.alloc(adam7Bytes(width, height, 32)))
}

export function png(...chunks: Buffer[]): Buffer {
  return Buffer.concat([PNG_SIGNATURE, ...chunks, pngChunk('IEND')])
}

export interface GifFrame {
  x?: number
  y?: number
  width: number
  height: number
}

/**
 * LZW data for `pixels` pixels of colour 0, with a minimum code size of 2: a clear code before
 * every pair of pixels keeps every code 3 bits wide, so no dictionary growth needs modelling.
 */
function lzwZeros(pixels: number): Buffer {
  const codes: number[] = []
  for (let i = 0; i < pixels; i += 2) codes.push(4, 0, ...(i + 1 < pixels ? [0] : []))
  codes.push(5)
  const bytes: number[] = []
  let acc = 0
  let bits = 0
  for (const code of codes) {
    acc |= code << bits
    bits += 3
    while (bits >= 8) {
      bytes.push(acc & 0xff)
      acc >>= 8
      bits -= 8
    }
  }
  if (bits > 0) bytes.push(acc & 0xff)
  const blocks: number[] = [2]
  for (let i = 0; i < bytes.length; i += 255) {
    const part = bytes.slice(i, i + 255)
    blocks.push(part.length, ...part)
  }
  blocks.push(0)
  return Buffer.from(blocks)
}

/** A GIF89a with a 2-colour global palette and one image descriptor (with real pixels) per frame. */
export function gif(screen: { width: number; height: number }, frames: GifFrame[]): Buffer {
  const head = Buffer.alloc(13 + 6)
  head.write('GIF89a', 0, 'ascii')
  head.writeUInt16LE(screen.width, 6)
  head.writeUInt16LE(screen.height, 8)
  head[10] = 0x80 // global palette of 2 colours
  head.set([0, 0, 0, 0xff, 0xff, 0xff], 13)
  const parts: Buffer[] = [head]
  for (const frame of frames) {
    const descriptor = Buffer.alloc(10)
    descriptor[0] = 0x2c
    descriptor.writeUInt16LE(frame.x ?? 0, 1)
    descriptor.writeUInt16LE(frame.y ?? 0, 3)
    descriptor.writeUInt16LE(frame.width, 5)
    descriptor.writeUInt16LE(frame.height, 7)
    parts.push(descriptor, lzwZeros(frame.width * frame.height))
  }
  parts.push(Buffer.from([0x3b]))
  return Buffer.concat(parts)
}

/** A JPEG segment: marker, 16-bit length (counting itself) and payload. */
export function jpegSegment(marker: number, payload: Buffer | number[]): Buffer {
  const body = Buffer.from(payload)
  const head = Buffer.from([0xff, marker, 0, 0])
  head.writeUInt16BE(body.length + 2, 2)
  return Buffer.concat([head, body])
}

/** A baseline start-of-frame segment declaring width×height with one component. */
export function jpegFrame(width: number, height: number): Buffer {
  const payload = Buffer.from([8, 0, 0, 0, 0, 1, 1, 0x11, 0])
  payload.writeUInt16BE(height, 1)
  payload.writeUInt16BE(width, 3)
  return jpegSegment(0xc0, payload)
}
