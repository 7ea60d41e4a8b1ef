/** What the image task sends a pool thread: resolved, checked absolute paths only. */
export interface ImageJob {
  /** Real path of the source, already confined to the media root and under the pixel limit. */
  source: string
  /** Real path of the media root: output paths in the result are relative to it. */
  root: string
  /** Folder for the outputs (inside the root). */
  outDir: string
  /** Output file names start with this. */
  stem: string
  format: OutputFormat
  /** JPEG quality 1-100. */
  quality: number
  maxWidth: number
  maxHeight: number
  /** Each thumbnail fits a size×size box. */
  thumbnails: number[]
  /** The pixel limit, handed to the JPEG decoder too: it checks every frame header it reads. */
  maxPixels: number
}

export type OutputFormat = 'jpeg' | 'png'

export interface ImageFile {
  /** Relative to the media root, with forward slashes. */
  path: string
  kind: 'image' | 'thumbnail'
  width: number
  height: number
  bytes: number
}

export interface ImageJobResult {
  source: { width: number; height: number; bytes: number }
  files: ImageFile[]
}
