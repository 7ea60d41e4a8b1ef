import { ImageTooLargeError, UnsupportedImageError } from './image-errors.ts'
import type { ImageSize } from './image-size.ts'

/** Frames an animated GIF may hold. */
export const MAX_FRAMES = 1_000
/** The frames of an animated GIF may hold this many times the pixel limit in all. */
export const FRAME_PIXELS_FACTOR = 10

/** Refuses, before decoding, an image that is empty or bigger than the pixel limits allow. */
export function checkImageSize(size: ImageSize, maxPixels: number, filePath: string): void {
  if (size.width === 0 || size.height === 0)
    throw new UnsupportedImageError(`image.process: '${filePath}' declares an empty image`)
  if (size.width * size.height > maxPixels)
    throw new ImageTooLargeError(
      `image.process: image_too_large: ${size.width}×${size.height} is above the limit of ${maxPixels} pixels`,
    )
  if (size.frames > MAX_FRAMES)
    throw new ImageTooLargeError(
      `image.process: image_too_large: ${size.frames} frames is above the limit of ${MAX_FRAMES} frames`,
    )
  const maxFramePixels = FRAME_PIXELS_FACTOR * maxPixels
  if (size.framePixels > maxFramePixels)
    throw new ImageTooLargeError(
      `image.process: image_too_large: the frames hold ${size.framePixels} pixels in all, above the limit of ${maxFramePixels} (${FRAME_PIXELS_FACTOR} × ${maxPixels})`,
    )
}
