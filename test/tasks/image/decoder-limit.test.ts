import { describe, expect, test } from 'bun:test'
import { UnrecoverableError } from '../../../src/core/errors.ts'
import { createImageTask } from '../../../src/tasks/image/image-task.ts'
import { processImage } from '../../../src/tasks/image/process-image.ts'
import { runTask, tempDir, testServices } from '../file-task-fixtures.ts'
import { idat, ihdr, png, pngChunk } from './hostile-images.ts'
import { makeImage, writeUnder } from './image-fixtures.ts'

// The structure walk is the first check; the JPEG decoder is told the pixel limit as well, so a
// frame that walk never saw (a path through jpeg-js it could not follow) is still refused by the
// decoder itself, at the frame header, before it allocates the frame's blocks.
describe('processImage', () => {
  test('the JPEG decoder refuses a frame above the pixel limit it is given', async () => {
    const root = tempDir('celeriac-decoder-limit')
    const source = writeUnder(root, 'big.jpg', await makeImage(300, 200, 'image/jpeg'))
    const job = {
      source,
      root,
      outDir: root,
      stem: 'big',
      format: 'jpeg' as const,
      quality: 80,
      maxWidth: 100,
      maxHeight: 100,
      thumbnails: [],
      maxPixels: 300 * 200 - 1,
    }
    const err = await processImage(job).catch((e: Error) => e)
    expect(err).toBeInstanceOf(UnrecoverableError)
    expect((err as Error).name).toBe('ImageTooLargeError')
    expect((err as Error).message).toBe(
      'image.process: image_too_large: the decoder found a frame above the limit of 59999 pixels (maxResolutionInMP limit exceeded by 1MP)',
    )
    expect(await processImage({ ...job, maxPixels: 300 * 200 })).toMatchObject({
      source: { width: 300, height: 200 },
    })
  })
})

describe('image.process under a thread memory ceiling', () => {
  test('a decode that grows the process above the ceiling fails at once with a clear, unrecoverable error', async () => {
    // 5000×5000 is within this test's pixel limit, but decoding it takes several hundred MB.
    const services = testServices({ imagePoolSize: 1, imageThreadMemoryMb: 64, imageMaxPixels: 30_000_000 })
    writeUnder(
      services.settings.mediaRoot,
      'large.png',
      png(pngChunk('IHDR', ihdr(5000, 5000)), pngChunk('IDAT', idat(5000, 5000))),
    )
    const err = await runTask(createImageTask(services), { file_path: 'large.png' }).catch((e: Error) => e)
    expect(err).toBeInstanceOf(UnrecoverableError)
    expect((err as Error).name).toBe('ThreadMemoryError')
    expect((err as Error).message).toMatch(
      /^image thread stopped: the process grew by \d+ MB while it ran, above the ceiling of 64 MB per thread \(CELERIAC_IMAGE_THREAD_MEMORY_MB\)$/,
    )
    expect(services.imagePool().stats()).toMatchObject({ overMemory: 1, killed: 1 })
  }, 60_000)
})
