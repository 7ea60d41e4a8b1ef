import { describe, expect, test } from 'bun:test'
import { UnrecoverableError } from '../../../src/core/errors.ts'
import { processImage } from '../../../src/tasks/image/process-image.ts'
import { tempDir } from '../file-task-fixtures.ts'
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
