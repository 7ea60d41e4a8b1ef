import { describe, expect, test } from 'bun:test'
import { Client } from '../../../src/client/client.ts'
import { TaskRegistry } from '../../../src/core/registry.ts'
import { defineTask } from '../../../src/core/task.ts'
import { createImageTask } from '../../../src/tasks/image/image-task.ts'
import { makeBroker, startWorker, waitForTerminal } from '../../worker/helpers.ts'
import { testServices } from '../file-task-fixtures.ts'
import { idat, ihdr, png, pngChunk } from './hostile-images.ts'
import { makeImage, writeUnder } from './image-fixtures.ts'

describe('image.process in a worker', () => {
  test('a hard time limit terminates the busy thread; the pool replaces it and the worker carries on', async () => {
    const services = testServices({ imagePoolSize: 1 })
    writeUnder(services.settings.mediaRoot, 'big.jpg', await makeImage(3000, 3000, 'image/jpeg'))
    writeUnder(services.settings.mediaRoot, 'small.jpg', await makeImage(400, 300, 'image/jpeg'))
    const image = createImageTask(services)
    // The same code with a hard limit far below what decoding 9 megapixels takes.
    const hurried = defineTask({
      name: 'test.image_hurried',
      queue: 'media',
      input: image.input,
      timeLimit: { hard: 250 },
      run: image.run,
    })
    const registry = new TaskRegistry([image, hurried])
    const broker = makeBroker()
    startWorker(broker, { registry, queues: ['media'], concurrency: 2 })
    const client = new Client({ broker, registry })

    const slow = await client.enqueue('test.image_hurried', {
      file_path: 'big.jpg',
      max_width: 100,
      max_height: 100,
    })
    const failed = await waitForTerminal(broker, slow.id, 10_000)
    expect(failed.state).toBe('FAILURE')
    expect(failed.error?.type).toBe('TimeLimitExceeded')
    expect(failed.deadReason).toBe('time_limit')
    expect(services.imagePool().stats()).toMatchObject({ killed: 1, threads: 0, busy: 0 })

    const next = await client.enqueue('image.process', {
      file_path: 'small.jpg',
      max_width: 200,
      max_height: 200,
    })
    const done = await waitForTerminal(broker, next.id, 10_000)
    expect(done.state).toBe('SUCCESS')
    expect(done.result).toMatchObject({ files: [{ path: 'processed/small.jpg', width: 200, height: 150 }] })
    expect(services.imagePool().stats()).toMatchObject({ killed: 1, started: 2, threads: 1 })
  }, 20_000)

  test('an image that grows the process above the thread memory ceiling fails once, without retry', async () => {
    const services = testServices({ imagePoolSize: 1, imageThreadMemoryMb: 64, imageMaxPixels: 30_000_000 })
    const large = png(pngChunk('IHDR', ihdr(5000, 5000)), pngChunk('IDAT', idat(5000, 5000)))
    writeUnder(services.settings.mediaRoot, 'large.png', large)
    const image = createImageTask(services)
    const registry = new TaskRegistry([image])
    const broker = makeBroker()
    startWorker(broker, { registry, queues: ['media'], concurrency: 1 })
    const client = new Client({ broker, registry })
    const sent = await client.enqueue('image.process', { file_path: 'large.png' })
    const failed = await waitForTerminal(broker, sent.id, 30_000)
    expect(failed.state).toBe('FAILURE')
    expect(failed.error?.type).toBe('ThreadMemoryError')
    expect(failed.error?.message).toContain(
      'above the ceiling of 64 MB per thread (CELERIAC_IMAGE_THREAD_MEMORY_MB)',
    )
    expect(failed.attempts).toBe(1)
    expect(failed.retries).toBe(0)
  }, 40_000)
})
