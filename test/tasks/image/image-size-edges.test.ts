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
    expect(await sizeOf(pngHeader(300, 200).subarray(0, 24))).toMatchObject({
      format: 'png',
      width: 300,
      height: 200,
    })
    expect(await sizeOf(gif(300, 200))).toEqual({
      format: 'gif',
      width: 300,
      height: 200,
      frames: 0,
      framePixels: 0,
    })
    expect(await sizeOf(bmp(40, 300, -200))).toMatchObject({ format: 'bmp', width: 300, height: 200 })
  })

  test('returns null for headers cut inside the size fields', async () => {
    expect(await sizeOf(gif(300, 200).subarray(0, 9))).toBeNull()
    expect(await sizeOf(bmp(40, 300, 200).subarray(0, 25))).toBeNull()
    expect(await sizeOf(pngHeader(300, 200).subarray(0, 23))).toBeNull()
  })

  test('reads a bitmap width as unsigned and a top-down height as its magnitude', async () => {
    expect(await sizeOf(bmp(40, -1, -480))).toEqual({
      format: 'bmp',
      width: 4_294_967_295,
      height: 480,
      frames: 1,
      framePixels: 4_294_967_295 * 480,
    })
  })

  test('refuses an OS/2 bitmap header, which the decoder does not read', async () => {
    await expect(sizeOf(bmp(12, 640, 480))).rejects.toThrow('BMP header size 12 is not one the decoder reads')
  })

  test('needs the PNG signature, and refuses a PNG that does not start with IHDR', async () => {
    const noSignature = pngHeader(300, 200)
    noSignature[0] = 0x88
    expect(await sizeOf(noSignature)).toBeNull()
    const noIhdr = pngHeader(300, 200)
    noIhdr.write('IDAT', 12, 'ascii')
    await expect(sizeOf(noIhdr)).rejects.toThrow('PNG does not start with its IHDR chunk')
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
