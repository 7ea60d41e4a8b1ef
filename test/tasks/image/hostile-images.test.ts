import { describe, expect, test } from 'bun:test'
import { createImageTask } from '../../../src/tasks/image/image-task.ts'
import { runTask, testServices } from '../file-task-fixtures.ts'
import {
  gif,
  idat,
  ihdr,
  interlacedIdat,
  interlacedIhdr,
  jpegFrame,
  jpegSegment,
  png,
  pngChunk,
} from './hostile-images.ts'
import { makeImage, writeUnder } from './image-fixtures.ts'

// Each hostile image hides a 200×200 image behind a header that looks small. The pixel limit is
// 10 000 here, so before the checks knew these tricks every one of them decoded (and succeeded).
const LIMIT = 10_000

async function refusal(name: string, data: Buffer): Promise<Error> {
  const services = testServices({ imageMaxPixels: LIMIT })
  writeUnder(services.settings.mediaRoot, name, data)
  const err = await runTask(createImageTask(services), { file_path: name }).then(
    () => new Error('the image was processed'),
    (e: Error) => e,
  )
  expect(services.imagePool().stats().started).toBe(0) // refused before any decoding
  return err
}

describe('image.process refuses images whose decoder would see a bigger size than the header', () => {
  test('a PNG with a second IHDR chunk (the decoder takes the last one)', async () => {
    const data = png(
      pngChunk('IHDR', ihdr(1, 1)),
      pngChunk('IHDR', ihdr(200, 200)),
      pngChunk('IDAT', idat(200, 200)),
    )
    const err = await refusal('two-headers.png', data)
    expect(err.name).toBe('UnsupportedImageError')
    expect(err.message).toBe(
      "image.process: 'two-headers.png': PNG has a second IHDR chunk at byte 33 (the decoder would take its size)",
    )
  })

  test('a PNG whose first chunk is not IHDR', async () => {
    const data = png(pngChunk('tEXt', Buffer.from('a\0b')), pngChunk('IHDR', ihdr(200, 200)))
    const err = await refusal('late-header.png', data)
    expect(err.name).toBe('UnsupportedImageError')
    expect(err.message).toBe("image.process: 'late-header.png': PNG does not start with its IHDR chunk")
  })

  test('a GIF whose frame is larger than its logical screen', async () => {
    const err = await refusal('wide-frame.gif', gif({ width: 10, height: 10 }, [{ width: 200, height: 200 }]))
    expect(err.name).toBe('UnsupportedImageError')
    expect(err.message).toBe(
      "image.process: 'wide-frame.gif': GIF frame 1 (200×200 at 0,0) reaches outside the 10×10 logical screen",
    )
  })

  test('a GIF whose frame sits off the edge of its logical screen', async () => {
    const data = gif({ width: 100, height: 100 }, [{ x: 95, y: 0, width: 10, height: 10 }])
    const err = await refusal('off-edge.gif', data)
    expect(err.message).toContain('GIF frame 1 (10×10 at 95,0) reaches outside the 100×100 logical screen')
  })

  test('a GIF with more frames, or more pixels over all frames, than the limits allow', async () => {
    const many = gif(
      { width: 2, height: 2 },
      Array.from({ length: 1_001 }, () => ({ width: 1, height: 1 })),
    )
    const tooMany = await refusal('many.gif', many)
    expect(tooMany.name).toBe('ImageTooLargeError')
    expect(tooMany.message).toBe(
      'image.process: image_too_large: 1001 frames is above the limit of 1000 frames',
    )
    const heavy = gif(
      { width: 100, height: 100 },
      Array.from({ length: 11 }, () => ({ width: 100, height: 100 })),
    )
    const tooHeavy = await refusal('heavy.gif', heavy)
    expect(tooHeavy.name).toBe('ImageTooLargeError')
    expect(tooHeavy.message).toBe(
      'image.process: image_too_large: the frames hold 110000 pixels in all, above the limit of 100000 (10 × 10000)',
    )
  })

  test('a JPEG with FF 00 padding that hides its real frame from a naive segment walk', async () => {
    const real = await makeImage(200, 200, 'image/jpeg')
    // A naive walk reads "FF 00" as a segment whose length is the next two bytes (0xFF00) and lands
    // on a decoy 10×10 frame inside the comment; the decoder skips "FF 00" and reads the comment whole.
    const comment = Buffer.alloc(65_533)
    jpegFrame(10, 10).copy(comment, 65_284 - 10)
    const data = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0x00, 0xff, 0x00]),
      jpegSegment(0xfe, comment),
      real.subarray(2),
    ])
    const err = await refusal('padded.jpg', data)
    expect(err.name).toBe('ImageTooLargeError')
    expect(err.message).toBe('image.process: image_too_large: 200×200 is above the limit of 10000 pixels')
  })

  test('a JPEG with a second frame header, or a marker the decoder does not read', async () => {
    const two = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      jpegFrame(10, 10),
      jpegFrame(200, 200),
      Buffer.from([0xff, 0xd9]),
    ])
    const twoErr = await refusal('two-frames.jpg', two)
    expect(twoErr.name).toBe('UnsupportedImageError')
    expect(twoErr.message).toBe("image.process: 'two-frames.jpg': JPEG has a second frame header at byte 15")
    const odd = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0x12, 0x34]),
      jpegFrame(10, 10),
      Buffer.from([0xff, 0xd9]),
    ])
    const oddErr = await refusal('odd.jpg', odd)
    expect(oddErr.message).toBe(
      "image.process: 'odd.jpg': JPEG has bytes the decoder does not read as a marker (1234) at byte 2",
    )
  })
})

describe('image.process reads a BMP header as its decoder (bmp-ts) does', () => {
  test('a width with the top bit set is the huge unsigned number the decoder reads, not a small negative one', async () => {
    const data = Buffer.alloc(54 + 400)
    data.write('BM', 0, 'latin1')
    data.writeUInt32LE(54, 10)
    data.writeUInt32LE(40, 14)
    data.writeInt32LE(-100, 18)
    data.writeInt32LE(100, 22)
    data.writeUInt16LE(1, 26)
    data.writeUInt16LE(32, 28)
    const err = await refusal('negative.bmp', data)
    expect(err.name).toBe('ImageTooLargeError')
    expect(err.message).toBe(
      'image.process: image_too_large: 4294967196×100 is above the limit of 10000 pixels',
    )
  })

  test('an OS/2 header, which the decoder does not read', async () => {
    const data = Buffer.alloc(26 + 300)
    data.write('BM', 0, 'latin1')
    data.writeUInt32LE(12, 14)
    data.writeUInt16LE(10, 18)
    data.writeUInt16LE(10, 20)
    const err = await refusal('os2.bmp', data)
    expect(err.name).toBe('UnsupportedImageError')
    expect(err.message).toBe("image.process: 'os2.bmp': BMP header size 12 is not one the decoder reads")
  })
})

describe('image.process refuses pixel data larger than the header declares', () => {
  test('an interlaced PNG whose data inflates far past its size (pngjs inflates it without a bound)', async () => {
    const services = testServices({ imageMaxPixels: LIMIT })
    const data = png(pngChunk('IHDR', interlacedIhdr(1, 1)), pngChunk('IDAT', idat(5_000, 2_000)))
    writeUnder(services.settings.mediaRoot, 'inflates.png', data)
    const err = await runTask(createImageTask(services), { file_path: 'inflates.png' }).catch((e: Error) => e)
    expect((err as Error).name).toBe('UnsupportedImageError')
    expect((err as Error).message).toBe(
      'image.process: the PNG pixel data inflates to more than the 5 bytes its 1×1 interlaced IHDR allows',
    )
  })

  test('an interlaced PNG of the size it declares is processed', async () => {
    const services = testServices({ imageMaxPixels: LIMIT })
    const data = png(pngChunk('IHDR', interlacedIhdr(50, 40)), pngChunk('IDAT', interlacedIdat(50, 40)))
    writeUnder(services.settings.mediaRoot, 'interlaced.png', data)
    const result = await runTask(createImageTask(services), { file_path: 'interlaced.png' })
    expect(result).toMatchObject({ source: { width: 50, height: 40 } })
  })
})

describe('image.process still processes valid images', () => {
  test.each([
    ['photo.png', 'image/png'],
    ['photo.jpg', 'image/jpeg'],
    ['photo.gif', 'image/gif'],
  ] as const)('a normal %s', async (name, mime) => {
    const services = testServices({ imageMaxPixels: LIMIT })
    writeUnder(services.settings.mediaRoot, name, await makeImage(100, 100, mime))
    const result = await runTask(createImageTask(services), { file_path: name })
    expect(result).toMatchObject({ source: { width: 100, height: 100 } })
  })

  test('an animated GIF whose frames stay inside the screen and the limits', async () => {
    const services = testServices({ imageMaxPixels: LIMIT })
    const frames = [
      { width: 100, height: 100 },
      { x: 40, y: 30, width: 20, height: 10 },
      { width: 100, height: 100 },
    ]
    writeUnder(services.settings.mediaRoot, 'animated.gif', gif({ width: 100, height: 100 }, frames))
    const result = await runTask(createImageTask(services), { file_path: 'animated.gif', thumbnails: [16] })
    expect(result).toMatchObject({
      source: { width: 100, height: 100 },
      files: [{}, { width: 16, height: 16 }],
    })
  })
})
