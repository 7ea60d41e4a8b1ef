import { UnrecoverableError } from '../../core/errors.ts'

/** Declared dimensions above the pixel limit (a decompression bomb, or just too big): refused unread. */
export class ImageTooLargeError extends UnrecoverableError {
  override name = 'ImageTooLargeError'
}

/** Not a PNG, JPEG, GIF or BMP, or corrupt: retrying cannot help. */
export class UnsupportedImageError extends UnrecoverableError {
  override name = 'UnsupportedImageError'
}
