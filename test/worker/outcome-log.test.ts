import { describe, expect, test } from 'bun:test'
import { createLogger } from '../../src/core/logger.ts'
import { makeBroker, makeClient, startWorker, waitFor, waitForTerminal } from './helpers.ts'

/** A worker logging JSON lines into an array, at the level given. */
function loggingWorker(level: 'info' | 'warn') {
  const lines: Record<string, unknown>[] = []
  const log = createLogger({ level, json: true, write: (line) => lines.push(JSON.parse(line)) })
  const broker = makeBroker()
  startWorker(broker, { log })
  return { broker, lines, client: makeClient(broker) }
}

describe('the worker’s line per finished task', () => {
  test('logs task, id, state and runtime at info for a success and a retry, and at error for a failure', async () => {
    const { broker, lines, client } = loggingWorker('info')
    const ok = await client.enqueue('debug.fail', { times: 1 })
    const bad = await client.enqueue('test.stubborn', { ms: 1_000 })
    await waitForTerminal(broker, ok.id)
    await waitForTerminal(broker, bad.id)
    const [retried, succeeded] = await waitFor('the retry and success lines', () => {
      const mine = lines.filter((l) => l.id === ok.id)
      return mine.length === 2 && mine
    })
    expect(retried).toMatchObject({
      level: 'info',
      msg: 'task will retry',
      task: 'debug.fail',
      state: 'RETRY',
    })
    expect(succeeded).toMatchObject({
      level: 'info',
      msg: 'task succeeded',
      task: 'debug.fail',
      state: 'SUCCESS',
    })
    expect(succeeded?.runtimeMs).toBeNumber()
    const failed = await waitFor('the failure line', () => lines.find((l) => l.id === bad.id))
    expect(failed).toMatchObject({
      level: 'error',
      msg: 'task failed',
      task: 'test.stubborn',
      state: 'FAILURE',
    })
    expect(failed.reason).toBe('time_limit')
  })

  test('writes no line per task at --log-level warn', async () => {
    const { broker, lines, client } = loggingWorker('warn')
    const ok = await client.enqueue('debug.sleep', { ms: 1 })
    await waitForTerminal(broker, ok.id)
    expect(lines.filter((l) => l.id === ok.id)).toEqual([])
  })
})
