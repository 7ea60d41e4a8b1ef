import { describe, expect, test } from 'bun:test'
import { readFileSync, rmSync } from 'node:fs'
import { buildMessage } from '../../src/core/build-message.ts'
import { systemClock } from '../../src/core/clock.ts'
import { ledgerSleepTask, readLedger } from '../fixtures/ledger-task.ts'
import { makeBroker, tempDbPath, waitFor } from './helpers.ts'

const FIXTURE = new URL('../fixtures/worker-process.ts', import.meta.url).pathname

function spawnWorker(db: string, ledger: string, name: string) {
  return Bun.spawn([process.execPath, FIXTURE, `sqlite://${db}`, ledger, name, '4', '1500'], {
    stdout: 'pipe',
    stderr: 'inherit',
  })
}

async function waitReady(proc: ReturnType<typeof spawnWorker>): Promise<void> {
  const reader = proc.stdout.getReader()
  const { value } = await reader.read()
  expect(new TextDecoder().decode(value)).toStartWith('ready')
  reader.releaseLock()
}

describe('worker: crash recovery', () => {
  test('tasks of a worker killed with SIGKILL run again on the other worker and nothing is lost', async () => {
    const db = tempDbPath()
    const ledger = `${db}.ledger`
    const broker = makeBroker(systemClock, { path: db })
    const task = ledgerSleepTask(ledger, 'test')
    const messages = Array.from({ length: 30 }, () => buildMessage(task, { ms: 250 }, {}, systemClock))
    await broker.enqueue(messages)
    const victim = spawnWorker(db, ledger, 'victim')
    const survivor = spawnWorker(db, ledger, 'survivor')
    try {
      await Promise.all([waitReady(victim), waitReady(survivor)])
      const inFlight = await waitFor('the victim mid-task', () => {
        const lines = readLedger(safeRead(ledger)).filter((l) => l.worker === 'victim')
        const ended = new Set(lines.filter((l) => l.event === 'end').map((l) => l.id))
        const running = lines.filter((l) => l.event === 'start' && !ended.has(l.id)).map((l) => l.id)
        return running.length > 0 ? running : undefined
      })
      victim.kill('SIGKILL')
      await victim.exited
      const results = await waitFor(
        'every task terminal',
        async () => {
          const all = await Promise.all(messages.map((m) => broker.getResult(m.id)))
          return all.every((r) => r?.state === 'SUCCESS') ? all : undefined
        },
        20_000,
      )
      const lines = readLedger(readFileSync(ledger, 'utf8'))
      for (const m of messages) {
        // Exactly one successful execution per task: one SUCCESS, one ledger end.
        expect(lines.filter((l) => l.id === m.id && l.event === 'end')).toHaveLength(1)
      }
      for (const id of inFlight) {
        const rerun = lines.find((l) => l.id === id && l.event === 'start' && l.worker === 'survivor')
        expect(rerun).toMatchObject({ attempt: 2, redelivered: true })
        expect(results.find((r) => r?.id === id)).toMatchObject({ attempts: 2, worker: 'survivor' })
      }
      survivor.kill('SIGTERM')
      expect(await survivor.exited).toBe(0)
    } finally {
      victim.kill('SIGKILL')
      survivor.kill('SIGKILL')
      rmSync(ledger, { force: true })
    }
    // Two worker processes and a lease to expire: seconds when the machine is loaded.
  }, 30_000)
})

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}
