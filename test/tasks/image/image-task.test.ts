import { describe, expect, test } from 'bun:test'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Jimp } from 'jimp'
import { UnrecoverableError } from '../../../src/core/errors.ts'
import { createImageTask } from '../../../src/tasks/image/image-task.ts'
import { runTask, testServices } from '../file-task-fixtures.ts'
import { makeImage, pngHeader, writeUnder } from './image-fixtures.ts'

describe('image.process', () => {
  test('resizes keeping the aspect ratio, re-encodes and makes thumbnails under the media root', async () => {
    const services = testServices()
    const root = services.settings.mediaRoot
    writeUnder(root, 'uploads/photo.jpg', await makeImage(1200, 800, 'image/jpeg'))
    const task = createImageTask(services)
    const input = {
      file_path: 'uploads/photo.jpg',
      max_width: 600,
      max_height: 600,
      quality: 80,
      thumbnails: [150, 64],
    }
    const result = (await runTask(task, input)) as { source: object; files: Record<string, unknown>[] }
    expect(result.source).toMatchObject({ width: 1200, height: 800 })
    expect(result.files).toEqual([
      {
        path: 'processed/uploads/photo.jpg',
        kind: 'image',
        width: 600,
        height: 400,
        bytes: expect.any(Number),
      },
      {
        path: 'processed/uploads/photo_150.jpg',
        kind: 'thumbnail',
        width: 150,
        height: 100,
        bytes: expect.any(Number),
      },
      {
        path: 'processed/uploads/photo_64.jpg',
        kind: 'thumbnail',
        width: 64,
        height: 43,
        bytes: expect.any(Number),
      },
    ])
    for (const file of result.files) {
      const full = join(root, file.path as string)
      expect(statSync(full).size).toBe(file.bytes as number)
      const decoded = await Jimp.read(full)
      expect([decoded.width, decoded.height]).toEqual([file.width as number, file.height as number])
    }
  })

  test('never enlarges a small image, and writes PNG when asked', async () => {
    const services = testServices()
    writeUnder(services.settings.mediaRoot, 'small.bmp', await makeImage(80, 60, 'image/bmp'))
    const result = (await runTask(createImageTask(services), {
      file_path: 'small.bmp',
      format: 'png',
      max_width: 500,
      max_height: 500,
    })) as {
      files: { path: string; width: number }[]
    }
    expect(result.files[0]).toMatchObject({ path: 'processed/small.png', width: 80, height: 60 })
  })

  test('refuses a decompression bomb by its declared size, before any decoding', async () => {
    const services = testServices({ imageMaxPixels: 50_000_000 })
    writeUnder(services.settings.mediaRoot, 'bomb.png', pngHeader(50_000, 50_000))
    const err = await runTask(createImageTask(services), { file_path: 'bomb.png' }).catch((e: Error) => e)
    expect(err).toBeInstanceOf(UnrecoverableError)
    expect((err as Error).name).toBe('ImageTooLargeError')
    expect((err as Error).message).toContain('image_too_large: 50000×50000')
    expect(services.imagePool().stats().started).toBe(0) // no thread was even needed
  })

  test('a corrupt or non-image file fails cleanly without retry', async () => {
    const services = testServices()
    const root = services.settings.mediaRoot
    writeUnder(root, 'notes.jpg', 'this is not an image')
    const good = await makeImage(200, 100, 'image/png')
    writeUnder(root, 'broken.png', Buffer.concat([good.subarray(0, 40), Buffer.alloc(200, 7)]))
    const task = createImageTask(services)
    const text = await runTask(task, { file_path: 'notes.jpg' }).catch((e: Error) => e)
    expect(text).toBeInstanceOf(UnrecoverableError)
    expect((text as Error).name).toBe('UnsupportedImageError')
    const broken = await runTask(task, { file_path: 'broken.png' }).catch((e: Error) => e)
    expect(broken).toBeInstanceOf(UnrecoverableError)
    expect((broken as Error).name).toBe('UnsupportedImageError')
    expect((broken as Error).message).toContain('cannot decode')
    expect(existsSync(join(root, 'processed/broken.png'))).toBe(false)
  })

  test('input with a hostile path is rejected at validation, naming the field', () => {
    const task = createImageTask(testServices())
    const parsed = task.input.safeParse({ file_path: '../../etc/passwd' })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.path).toEqual(['file_path'])
  })
})
