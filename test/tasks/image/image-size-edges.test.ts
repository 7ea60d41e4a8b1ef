import { describe, expect, test } from 'bun:test'
import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { UnsafePathError } from '../../../src/files/file-errors.ts'
import { UnsupportedImageError } from '../../../src/tasks/image/image-errors.ts'
import { createImageTask } from '../../../src/tasks/image/image-task.ts'
import { readImageSize } from '../../../src/tasks/image/read-image-size.ts'
import { runTask, tempDir, testServices } from '../file-task-fixtures.ts'
import { makeImage, pngHeader, writeUnder } from './image-fixtures.ts'

// Edges of the image size check that mutation testing (bench/mutation.ts) showed untested: the
// pixel limit is only as good as the header reading, so a header it misreads is a way past it.

const SOI = [0xff, 0xd8]
/** A baseline start-of-frame segment declaring width×height. */
function sof(width: number, height: number): number[] {
  return [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff]
}

async function sizeOf(bytes: number[] | Buffer | string): Promise<unknown> {
  const data = typeof bytes === 'string' ? bytes : Buffer.from(bytes)
  return readImageSize(writeUnder(tempDir('celeriac-image-size'), 'file.bin', data))
}

function gif(width: number, height: number): Buffer {
  const b = Buffer.alloc(10)
  b.write('GIF89a', 0, 'ascii')
  b.writeUInt16LE(width, 6)
  b.writeUInt16LE(height, 8)
  return b
}

function bmp(headerSize: 12 | 40, width: number, height: number): Buffer {
  const b = Buffer.alloc(26)
  b.write('BM', 0, 'ascii')
  b.writeUInt32LE(headerSize, 14)
  if (headerSize === 12) {
    b.writeUInt16LE(width, 18)
    b.writeUInt16LE(height, 20)
  } else {
    b.writeInt32LE(width, 18)
    b.writeInt32LE(height, 22)
  }
  return b
}

describe('readImageSize header edges', () => {
  test('reads headers cut right after the size fields', async () => {
    expect(await sizeOf(pngHeader(300, 200).subarray(0, 24))).toEqual({
      format: 'png',
      width: 300,
      height: 200,
    })
    expect(await sizeOf(gif(300, 200))).toEqual({ format: 'gif', width: 300, height: 200 })
    expect(await sizeOf(bmp(40, 300, -200))).toEqual({ format: 'bmp', width: 300, height: 200 })
  })

  test('returns null for headers cut inside the size fields', async () => {
    expect(await sizeOf(gif(300, 200).subarray(0, 9))).toBeNull()
    expect(await sizeOf(bmp(40, 300, 200).subarray(0, 25))).toBeNull()
  })

  test('reads the 16-bit sizes of an OS/2 bitmap header', async () => {
    expect(await sizeOf(bmp(12, 640, 480))).toEqual({ format: 'bmp', width: 640, height: 480 })
  })

  test('needs both the PNG signature and the IHDR chunk', async () => {
    const noSignature = pngHeader(300, 200)
    noSignature[0] = 0x88
    expect(await sizeOf(noSignature)).toBeNull()
    const noIhdr = pngHeader(300, 200)
    noIhdr.write('IDAT', 12, 'ascii')
    expect(await sizeOf(noIhdr)).toBeNull()
  })

  test('needs both JPEG start-of-image bytes', async () => {
    expect(await sizeOf([0x00, 0xd8, ...sof(300, 200)])).toBeNull()
    expect(await sizeOf([0xff, 0x00, ...sof(300, 200)])).toBeNull()
    expect(await sizeOf([...SOI, ...sof(300, 200)])).toEqual({ format: 'jpeg', width: 300, height: 200 })
  })

  test('steps over fill bytes and the markers that carry no length', async () => {
    const standalone = [0xff, 0x01, 0xff, 0xd0, 0xff, 0xd7, 0xff, 0xd8]
    expect(await sizeOf([...SOI, 0xff, ...standalone, ...sof(300, 200)])).toEqual({
      format: 'jpeg',
      width: 300,
      height: 200,
    })
  })

  test('stops at the end of the image or the scan data, even if a frame header follows', async () => {
    expect(await sizeOf([...SOI, 0xff, 0xd9, 0x00, 0x02, ...sof(300, 200)])).toBeNull()
    expect(await sizeOf([...SOI, 0xff, 0xda, 0x00, 0x02, ...sof(300, 200)])).toBeNull()
  })

  test('returns null when a segment does not start with a marker or is cut short', async () => {
    expect(await sizeOf([...SOI, 0x00, 0xc0, 0x00, 0x11, 0x08, 0x00, 0xc8, 0x01, 0x2c])).toBeNull()
    expect(await sizeOf([...SOI, 0xff, 0xe1])).toBeNull()
    expect(await sizeOf([...SOI, 0xff, 0xc0, 0x00, 0x11, 0x08])).toBeNull()
  })

  test('gives up after 1 000 segments without a frame header', async () => {
    const app = [0xff, 0xe1, 0x00, 0x02]
    const many = (n: number) => Array.from({ length: n }, () => app).flat()
    expect(await sizeOf([...SOI, ...many(999), ...sof(300, 200)])).toEqual({
      format: 'jpeg',
      width: 300,
      height: 200,
    })
    expect(await sizeOf([...SOI, ...many(1_000), ...sof(300, 200)])).toBeNull()
  })
})

describe('image.process size and path checks', () => {
  test('processes an image exactly at the pixel limit and writes a PNG for a non-JPEG source', async () => {
    const services = testServices({ imageMaxPixels: 40 * 30 })
    writeUnder(services.settings.mediaRoot, 'edge.gif', await makeImage(40, 30, 'image/gif'))
    const result = (await runTask(createImageTask(services), { file_path: 'edge.gif' })) as {
      files: { path: string }[]
    }
    expect(result.files.map((f) => f.path)).toEqual(['processed/edge.png'])
  })

  test('refuses an image that declares no pixels, before decoding it', async () => {
    const services = testServices()
    const task = createImageTask(services)
    for (const [name, width, height] of [
      ['wide.png', 300, 0],
      ['tall.png', 0, 200],
    ] as const) {
      writeUnder(services.settings.mediaRoot, name, pngHeader(width, height))
      const err = await runTask(task, { file_path: name }).catch((e: Error) => e)
      expect(err).toBeInstanceOf(UnsupportedImageError)
      expect((err as Error).message).toBe(`image.process: '${name}' declares an empty image`)
    }
  })

  test('names the file and the formats it knows when a file is no image', async () => {
    const services = testServices()
    writeUnder(services.settings.mediaRoot, 'notes.txt', 'just text')
    const err = await runTask(createImageTask(services), { file_path: 'notes.txt' }).catch((e: Error) => e)
    expect((err as Error).message).toBe("image.process: 'notes.txt' is not a PNG, JPEG, GIF or BMP")
  })

  test('names the input field when a symlink leads out of the media root', async () => {
    const services = testServices()
    const root = services.settings.mediaRoot
    const outside = writeUnder(tempDir('celeriac-outside'), 'cat.png', await makeImage(10, 10, 'image/png'))
    mkdirSync(root, { recursive: true })
    symlinkSync(outside, join(root, 'cat.png'))
    const err = await runTask(createImageTask(services), { file_path: 'cat.png' }).catch((e: Error) => e)
    expect(err).toBeInstanceOf(UnsafePathError)
    expect((err as Error).message).toBe('image.process: file_path resolves outside the root')
  })
})
