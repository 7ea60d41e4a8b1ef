import { describe, expect, test } from 'bun:test'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { Client } from '../../src/client/client.ts'
import { systemClock } from '../../src/core/clock.ts'
import { ValidationError } from '../../src/core/errors.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { EagerRunner } from '../../src/worker/eager-runner.ts'

function eagerClient() {
  // The broker is never touched in eager mode; an in-memory one keeps the types honest.
  const broker = createSqliteBroker({ path: ':memory:', clock: systemClock })
  const registry = createBuiltinRegistry()
  return new Client({ broker, registry, eager: new EagerRunner(registry, systemClock, silentLogger) })
}

describe('client eager mode', () => {
  test('runs the task at enqueue and stores a result of the same shape a broker does', async () => {
    const handle = await eagerClient().enqueue('debug.sleep', { ms: 1 })
    const result = await handle.wait()
    expect(result).toMatchObject({
      id: handle.id,
      task: 'debug.sleep',
      state: 'SUCCESS',
      attempts: 1,
      retries: 0,
    })
    expect(result.result).toEqual({ slept: 1 })
    for (const key of ['queue', 'input', 'error', 'meta', 'createdAt', 'finishedAt', 'runtimeMs']) {
      expect(result).toHaveProperty(key)
    }
  })

  test('runs retries inline without waiting for the backoff', async () => {
    const started = Date.now()
    const handle = await eagerClient().enqueue('debug.fail', { times: 2 })
    expect(await handle.result()).toEqual({ succeededOnAttempt: 3 })
    expect((await handle.wait()).retries).toBe(2)
    expect(Date.now() - started).toBeLessThan(500)
  })

  test('rejects bad input at enqueue with a ValidationError naming the field', async () => {
    const attempt = eagerClient().enqueue('debug.sleep', { ms: 'soon' })
    await expect(attempt).rejects.toBeInstanceOf(ValidationError)
    await expect(attempt).rejects.toThrow(/ms/)
  })
})
