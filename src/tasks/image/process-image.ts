import { readFile, writeFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { Jimp } from 'jimp'
import { ImageTooLargeError, UnsupportedImageError } from './image-errors.ts'
import type { ImageFile, ImageJob, ImageJobResult } from './image-job.ts'
import { checkPngInflatedSize } from './png-inflate-limit.ts'

type Image = Awaited<ReturnType<typeof Jimp.fromBuffer>>

const EXTENSION = { jpeg: 'jpg', png: 'png' } as const

/** Shrinks to fit a box, keeping the aspect ratio; never enlarges. */
function fit(image: Image, maxWidth: number, maxHeight: number): Image {
  const scale = Math.min(1, maxWidth / image.width, maxHeight / image.height)
  if (scale < 1) {
    const w = Math.max(1, Math.round(image.width * scale))
    const h = Math.max(1, Math.round(image.height * scale))
    image.resize({ w, h })
  }
  return image
}

/** jpeg-js's own refusal of a frame above maxResolutionInMP. */
const JPEG_LIMIT_MESSAGE = 'maxResolutionInMP limit exceeded'

/**
 * Decodes with the pixel limit passed to the JPEG decoder as well: the task's structure walk
 * checked the frame it found, and this makes jpeg-js check every frame header it reads itself.
 */
async function decode(data: Buffer, maxPixels: number): Promise<Image> {
  try {
    return await Jimp.fromBuffer(data, { 'image/jpeg': { maxResolutionInMP: maxPixels / 1_000_000 } })
  } catch (err) {
    const message = (err as Error).message
    if (message.startsWith(JPEG_LIMIT_MESSAGE))
      throw new ImageTooLargeError(
        `image.process: image_too_large: the decoder found a frame above the limit of ${maxPixels} pixels (${message})`,
      )
    throw new UnsupportedImageError(`image.process: cannot decode the image: ${message}`)
  }
}

async function save(image: Image, job: ImageJob, name: string, kind: ImageFile['kind']): Promise<ImageFile> {
  const bytes =
    job.format === 'jpeg'
      ? await image.getBuffer('image/jpeg', { quality: job.quality })
      : await image.getBuffer('image/png')
  const path = join(job.outDir, `${name}.${EXTENSION[job.format]}`)
  await writeFile(path, bytes)
  const rel = relative(job.root, path).split(sep).join('/')
  return { path: rel, kind, width: image.width, height: image.height, bytes: bytes.length }
}

/**
 * The CPU-heavy part of image.process: decode, resize, re-encode, thumbnails. Runs in a pool
 * thread (image-thread.ts); the task has already checked the path and the pixel limit.
 */
export async function processImage(job: ImageJob): Promise<ImageJobResult> {
  const data = await readFile(job.source)
  checkPngInflatedSize(data)
  const image = await decode(data, job.maxPixels)
  const source = { width: image.width, height: image.height, bytes: data.length }
  const main = fit(image, job.maxWidth, job.maxHeight)
  const files = [await save(main, job, job.stem, 'image')]
  for (const size of job.thumbnails) {
    const thumb = fit(main.clone(), size, size)
    files.push(await save(thumb, job, `${job.stem}_${size}`, 'thumbnail'))
  }
  return { source, files }
}
