import { describe, expect, test } from 'bun:test'
import { imageSizeOf } from '../../../src/tasks/image/read-image-size.ts'
import { gif, idat, ihdr, jpegFrame, jpegSegment, png, pngChunk } from './hostile-images.ts'

// The structure walks behind the pixel limit, format by format: what each accepts, what it refuses
// (and why the decoder would read it differently), without going through the task.

const SOI = Buffer.from([0xff, 0xd8])
const EOI = Buffer.from([0xff, 0xd9])
const jpeg = (...parts: (Buffer | number[])[]) => Buffer.concat([SOI, ...parts.map((p) => Buffer.from(p))])
const size = (width: number, height: number) => ({ width, height })

describe('PNG chunk walk', () => {
  test('reads the one IHDR of a PNG with data chunks and stops at IEND', () => {
    const data = Buffer.concat([
      png(pngChunk('IHDR', ihdr(30, 20)), pngChunk('IDAT', idat(30, 20))),
      pngChunk('IHDR'),
    ])
    expect(imageSizeOf(data)).toEqual({ format: 'png', width: 30, height: 20, frames: 1, framePixels: 600 })
  })

  test('refuses a second IHDR wherever it is, and an IHDR of the wrong length', () => {
    const late = png(
      pngChunk('IHDR', ihdr(1, 1)),
      pngChunk('IDAT', idat(1, 1)),
      pngChunk('IHDR', ihdr(9000, 9000)),
    )
    expect(() => imageSizeOf(late)).toThrow(
      /^PNG has a second IHDR chunk at byte \d+ \(the decoder would take its size\)$/,
    )
    const long = png(pngChunk('IHDR', Buffer.concat([ihdr(1, 1), Buffer.alloc(8)])))
    expect(() => imageSizeOf(long)).toThrow('PNG IHDR chunk is not 13 bytes long')
  })
})

describe('GIF block walk', () => {
  test('counts every frame and its pixels, past extensions the decoder reads', () => {
    const base = gif(size(20, 10), [size(20, 10), { x: 5, y: 5, width: 4, height: 5 }])
    const control = [0x21, 0xf9, 4, 0, 10, 0, 0, 0]
    const comment = [0x21, 0xfe, 3, 0x61, 0x62, 0x63, 0]
    const loop = [0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0'), 3, 1, 0, 0, 0]
    const data = Buffer.concat([
      base.subarray(0, 19),
      Buffer.from([...loop, ...comment, ...control]),
      base.subarray(19),
    ])
    expect(imageSizeOf(data)).toEqual({ format: 'gif', width: 20, height: 10, frames: 2, framePixels: 220 })
  })

  test('refuses the 35-byte GIF whose 65535×65535 frame sits on a 1×1 screen', () => {
    const data = Buffer.from([
      ...Buffer.from('GIF89a'),
      ...[1, 0, 1, 0, 0x80, 0, 0],
      ...[0, 0, 0, 0xff, 0xff, 0xff],
      ...[0x2c, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0],
      ...[2, 2, 0x4c, 0x01, 0, 0x3b],
    ])
    expect(data.length).toBe(35)
    expect(() => imageSizeOf(data)).toThrow(
      'GIF frame 1 (65535×65535 at 0,0) reaches outside the 1×1 logical screen',
    )
  })

  test('refuses blocks and extensions it cannot walk in step with the decoder', () => {
    const base = gif(size(2, 2), [size(2, 2)])
    const withBlock = (bytes: number[]) =>
      Buffer.concat([base.subarray(0, 19), Buffer.from(bytes), base.subarray(19)])
    expect(() => imageSizeOf(withBlock([0x21, 0xff, 10, 0]))).toThrow(
      'GIF has a malformed application block at byte 19',
    )
    expect(() => imageSizeOf(withBlock([0x21, 0xf9, 5, 0, 0, 0, 0, 0]))).toThrow(
      'malformed graphic control block',
    )
    expect(() => imageSizeOf(withBlock([0x21, 0x01, 0]))).toThrow(
      'GIF has an extension the decoder does not read (1)',
    )
    expect(() => imageSizeOf(withBlock([0x42]))).toThrow(
      'GIF has a block the decoder does not read (42) at byte 19',
    )
    expect(() => imageSizeOf(base.subarray(0, base.length - 3))).toThrow('GIF is cut short inside a block')
  })
})

describe('JPEG marker walk', () => {
  test('steps over FF 00 pairs and FF FF fill the way the decoder does', () => {
    expect(imageSizeOf(jpeg([0xff, 0x00, 0xff, 0xff], jpegFrame(30, 20), EOI))).toMatchObject(size(30, 20))
    expect(imageSizeOf(jpeg([0xff], jpegFrame(30, 20), EOI))).toMatchObject(size(30, 20))
  })

  test('walks tables and any number of metadata segments before the frame', () => {
    const app = jpegSegment(0xe1, [1, 2])
    const dqt = jpegSegment(0xdb, [0, ...Array(64).fill(1)])
    const dht = jpegSegment(0xc4, [0, 1, ...Array(15).fill(0), 7])
    const data = jpeg(...Array(2_000).fill(app), dqt, dht, jpegFrame(30, 20), EOI)
    expect(imageSizeOf(data)).toMatchObject(size(30, 20))
  })

  test('finds the end of scan data past stuffed bytes and restarts, and refuses a frame behind it', () => {
    const dri = jpegSegment(0xdd, [0, 1])
    const sos = jpegSegment(0xda, [1, 1, 0, 0, 63, 0])
    const scan = [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]
    expect(imageSizeOf(jpeg(jpegFrame(30, 20), dri, sos, scan, EOI))).toMatchObject(size(30, 20))
    expect(() => imageSizeOf(jpeg(jpegFrame(30, 20), dri, sos, scan, jpegFrame(9000, 9000)))).toThrow(
      'JPEG has a second frame header',
    )
    expect(() => imageSizeOf(jpeg(jpegFrame(30, 20), sos, scan, EOI))).toThrow(
      'JPEG has a restart marker at byte 29 but no restart interval',
    )
  })

  test('refuses markers the decoder does not read, lengths it would step differently, and scans before a frame', () => {
    for (const marker of [0x01, 0xd0, 0xc3, 0xcc])
      expect(() => imageSizeOf(jpeg([0xff, marker], jpegFrame(30, 20)))).toThrow(
        'JPEG has bytes the decoder does not read',
      )
    const longFrame = jpegSegment(0xc0, [8, 0, 20, 0, 30, 1, 1, 0x11, 0, 0])
    expect(() => imageSizeOf(jpeg(longFrame))).toThrow(
      'JPEG frame segment at byte 2 has a length that does not match',
    )
    expect(() => imageSizeOf(jpeg([0xff, 0xe1, 0, 1], jpegFrame(30, 20)))).toThrow('has a length below 2')
    const dqt = jpegSegment(0xdb, [0, ...Array(64).fill(1), 0])
    expect(() => imageSizeOf(jpeg(dqt, jpegFrame(30, 20), Buffer.alloc(80)))).toThrow(
      'quantization segment at byte 2 has a wrong length',
    )
    expect(() => imageSizeOf(jpeg(jpegSegment(0xda, [0, 0, 63, 0])))).toThrow(
      'JPEG has scan data before its frame header',
    )
  })

  test('refuses more scans than a progressive JPEG needs: each one makes jpeg-js walk the whole frame', () => {
    const sos = jpegSegment(0xda, [1, 1, 0, 0, 63, 0])
    const scans = (n: number) => Array.from({ length: n }, () => Buffer.concat([sos, Buffer.from([0x12])]))
    expect(imageSizeOf(jpeg(jpegFrame(30, 20), ...scans(100), EOI))).toMatchObject(size(30, 20))
    expect(() => imageSizeOf(jpeg(jpegFrame(30, 20), ...scans(101), EOI))).toThrow(
      'JPEG has more than 100 scans (scan 101 at byte 1115)',
    )
  })

  test('returns null without a frame header before the end of the image or the data', () => {
    expect(imageSizeOf(jpeg(EOI, jpegFrame(30, 20)))).toBeNull()
    expect(imageSizeOf(jpeg(jpegFrame(30, 20).subarray(0, 9)))).toBeNull()
    expect(imageSizeOf(jpeg([0xff, 0xe1, 0x10, 0x00, 1, 2]))).toBeNull()
  })
})
