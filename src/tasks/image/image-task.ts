import { mkdir, realpath } from 'node:fs/promises'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { defineTask } from '../../core/task.ts'
import { resolveInsideRoot } from '../../files/resolve-inside-root.ts'
import type { FileTaskServices } from '../file-task-services.ts'
import { checkImageSize } from './check-image-size.ts'
import { UnsupportedImageError } from './image-errors.ts'
import { ImageInput } from './image-input.ts'
import type { ImageJob, ImageJobResult } from './image-job.ts'
import { type ImageSize, readImageSize } from './read-image-size.ts'

const SUBJECT = 'image.process: file_path'

/** The size the decoder would use; a structure it would read differently is refused, naming the file. */
async function readSize(source: string, filePath: string): Promise<ImageSize | null> {
  try {
    return await readImageSize(source)
  } catch (err) {
    if (!(err instanceof UnsupportedImageError)) throw err
    throw new UnsupportedImageError(`image.process: '${filePath}': ${err.message}`)
  }
}

/** Checks the path and the declared size on this thread (cheap), then sends the pixels to the pool. */
async function buildJob(input: ImageInput, services: FileTaskServices): Promise<ImageJob> {
  const { mediaRoot, imageMaxPixels } = services.settings
  const source = await resolveInsideRoot(mediaRoot, input.file_path, SUBJECT)
  const size = await readSize(source, input.file_path)
  if (!size)
    throw new UnsupportedImageError(`image.process: '${input.file_path}' is not a PNG, JPEG, GIF or BMP`)
  checkImageSize(size, imageMaxPixels, input.file_path)
  const root = await realpath(resolve(mediaRoot))
  const outDir = join(root, 'processed', dirname(relative(root, source)))
  await mkdir(outDir, { recursive: true })
  return {
    source,
    root,
    outDir,
    stem: basename(source, extname(source)),
    format: input.format ?? (size.format === 'jpeg' ? 'jpeg' : 'png'),
    quality: input.quality,
    maxWidth: input.max_width,
    maxHeight: input.max_height,
    thumbnails: input.thumbnails,
    maxPixels: imageMaxPixels,
  }
}

/** image.process: resize, re-encode and make thumbnails of a file under the media root. */
export function createImageTask(services: FileTaskServices) {
  return defineTask({
    name: 'image.process',
    description:
      'Resizes an image under the media root to fit max_width×max_height, re-encodes it and makes thumbnails (in a thread pool).',
    queue: 'media',
    input: ImageInput,
    retry: { max: 2, backoff: 'exponential', delay: 5_000, maxDelay: 60_000, jitter: true },
    timeLimit: { soft: 60_000, hard: 120_000 },
    run: async (input, ctx): Promise<ImageJobResult> => {
      const job = await buildJob(input, services)
      return services.imagePool().run<ImageJobResult>(job, ctx.signal)
    },
  })
}
