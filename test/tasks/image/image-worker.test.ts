import { describe, expect, test } from 'bun:test'
import { Client } from '../../../src/client/client.ts'
import { TaskRegistry } from '../../../src/core/registry.ts'
import { defineTask } from '../../../src/core/task.ts'
import { createImageTask } from '../../../src/tasks/image/image-task.ts'
import { makeBroker, startWorker, waitForTerminal } from '../../worker/helpers.ts'
import { testServices } from '../file-task-fixtures.ts'
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
})
