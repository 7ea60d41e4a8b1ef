export type SourceFormat = 'png' | 'jpeg' | 'gif' | 'bmp'

/** What a decoder would allocate for an image, read from its structure without decoding it. */
export interface ImageSize {
  format: SourceFormat
  /** The canvas the decoder allocates (a GIF's logical screen). */
  width: number
  height: number
  /** Frames the file holds: a GIF's image descriptors; 1 for the other formats. */
  frames: number
  /** width × height summed over every frame. */
  framePixels: number
}

export function singleFrame(format: SourceFormat, width: number, height: number): ImageSize {
  return { format, width, height, frames: 1, framePixels: width * height }
}
