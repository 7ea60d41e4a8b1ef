/**
 * Entry file of the image pool's threads. It is a build entrypoint (scripts/build.ts ENTRYPOINTS):
 * Bun cannot find `new Worker()` targets by itself, so a missing entry only breaks the binary.
 */
import { serveThread } from '../../threads/serve-thread.ts'
import type { ImageJob } from './image-job.ts'
import { processImage } from './process-image.ts'

serveThread((job) => processImage(job as ImageJob))
