import { z } from 'zod'
import { RelativePath } from '../../files/relative-path-schema.ts'

export const ImageInput = z.object({
  /** Relative to the media root (CELERIAC_MEDIA_ROOT). */
  file_path: RelativePath,
  max_width: z.number().int().min(1).max(20_000).default(1_920),
  max_height: z.number().int().min(1).max(20_000).default(1_920),
  /** JPEG quality; ignored for PNG. */
  quality: z.number().int().min(1).max(100).default(85),
  /** Output format; default: PNG for PNG/GIF/BMP sources, JPEG for JPEG. */
  format: z.enum(['jpeg', 'png']).optional(),
  /** Thumbnail box sizes in pixels: each fits size×size. */
  thumbnails: z.array(z.number().int().min(8).max(4_096)).max(10).default([]),
})
export type ImageInput = z.infer<typeof ImageInput>
