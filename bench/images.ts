/**
 * image.process throughput in the image thread pool: a batch of generated 2000×1500 JPEGs, each
 * resized to fit 1280×1280 (quality 80) with a 320 px thumbnail, at pool size 1 and 2. Prints
 * images/s, ms/image, the speed-up from 1 to 2 threads and the longest event-loop block seen
 * while the batch runs (the worker's leases and heartbeats live on that loop).
 *
 *   bun bench/images.ts [--images 24] [--sizes 1,2]
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Jimp } from 'jimp'
import { silentLogger } from '../src/core/logger.ts'
import type { TaskContext } from '../src/core/task.ts'
import { createFileTaskServices, type FileTaskSettings } from '../src/tasks/file-task-services.ts'
import { createImageTask } from '../src/tasks/image/image-task.ts'

const { values } = parseArgs({
  options: { images: { type: 'string', default: '24' }, sizes: { type: 'string', default: '1,2' } },
})
const N = Number(values.images)
const SIZES = values.sizes.split(',').map(Number)
const WARM_UP = 4
const INPUT = { max_width: 1280, max_height: 1280, quality: 80, thumbnails: [320] }

/** A photo-like 2000×1500 JPEG (gradients plus noise, so the codec has real work). */
async function makeJpeg(path: string): Promise<void> {
  const image = new Jimp({ width: 2000, height: 1500, color: 0x808080ff })
  const data = image.bitmap.data
  for (let i = 0; i < data.length; i += 4) {
    const p = i / 4
    data[i] = (p % 2000) / 8 + Math.random() * 40
    data[i + 1] = Math.floor(p / 2000) / 6 + Math.random() * 40
  }
  writeFileSync(path, await image.getBuffer('image/jpeg', { quality: 85 }))
}

/** Longest gap between 5 ms ticks beyond the 5 ms asked for: how long the loop was blocked. */
function watchEventLoop(): () => number {
  let last = performance.now()
  let worst = 0
  const timer = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last - 5)
    last = now
  }, 5)
  return () => {
    clearInterval(timer)
    return worst
  }
}

function ctx(): TaskContext {
  const never = new AbortController().signal
  const retry = (): never => {
    throw new Error('retry')
  }
  return {
    id: '',
    name: 'image.process',
    attempt: 1,
    retries: 0,
    redelivered: false,
    queue: 'media',
    parentId: null,
    rootId: null,
    signal: never,
    progress: async () => {},
    retry,
    enqueue: () => Promise.reject(new Error('the benchmark runs one task alone')),
    log: silentLogger,
  }
}

async function run(root: string, size: number): Promise<{ seconds: number; blockMs: number }> {
  const settings: FileTaskSettings = {
    mediaRoot: root,
    exportsDir: join(root, 'x'),
    backupDir: join(root, 'b'),
    imagePoolSize: size,
    imageMaxTasksPerThread: 0,
    imageThreadMemoryMb: null,
    imageMaxPixels: 50_000_000,
    filesRetentionDays: 7,
    exportSources: {},
    smtpUrl: null,
    healthChecks: [],
    outboundAllowList: [],
  }
  const services = createFileTaskServices({
    settings,
    admin: async () => {
      throw new Error('unused')
    },
  })
  const task = createImageTask(services)
  const one = (i: number) => task.run(task.input.parse({ file_path: `in/${i}.jpg`, ...INPUT }), ctx())
  // Warm-up: start every thread and let JSC compile jimp's hot paths in it (a few images each),
  // so the figures are a long-running worker's, not a cold thread's.
  await Promise.all(Array.from({ length: WARM_UP * size }, (_, i) => one(i)))
  Bun.gc(true) // the JPEG generation's garbage is not this run's
  const stop = watchEventLoop()
  const started = performance.now()
  await Promise.all(Array.from({ length: N }, (_, i) => one(i)))
  const seconds = (performance.now() - started) / 1000
  const blockMs = stop()
  await services.close()
  return { seconds, blockMs }
}

const root = mkdtempSync(join(tmpdir(), 'celeriac-bench-images-'))
try {
  mkdirSync(join(root, 'in'))
  await makeJpeg(join(root, 'in/0.jpg'))
  for (let i = 1; i < N; i++) copyFileSync(join(root, 'in/0.jpg'), join(root, `in/${i}.jpg`))
  console.log(`image.process: ${N} JPEGs of 2000×1500 -> fit 1280×1280 q80 + 320 px thumbnail`)
  const rates: number[] = []
  for (const size of SIZES) {
    const { seconds, blockMs } = await run(root, size)
    rates.push(N / seconds)
    console.log(
      `  pool ${size}: ${(N / seconds).toFixed(2)} images/s, ${((seconds * 1000) / N).toFixed(0)} ms/image, longest event-loop block ${blockMs.toFixed(1)} ms`,
    )
  }
  if (rates.length >= 2)
    console.log(
      `  speed-up ${SIZES[0]} -> ${SIZES.at(-1)} threads: ${((rates.at(-1) as number) / (rates[0] as number)).toFixed(2)}×`,
    )
} finally {
  rmSync(root, { recursive: true, force: true })
}
