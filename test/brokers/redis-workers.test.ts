import { afterAll, describe, expect, test } from 'bun:test'
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { buildMessage } from '../../src/core/build-message.ts'
import { systemClock } from '../../src/core/clock.ts'
import { type LedgerLine, ledgerSleepTask, readLedger } from '../fixtures/ledger-task.ts'
import { waitFor } from '../worker/helpers.ts'
import { deleteKeys, REDIS_URL, testPrefix } from './redis-support.ts'

const FIXTURE = new URL('../fixtures/worker-process.ts', import.meta.url).pathname
const LEASE_MS = 1_500
const prefixes: string[] = []
const files: string[] = []

afterAll(async () => {
  await deleteKeys(REDIS_URL, prefixes)
  for (const f of files) rmSync(f, { force: true })
})

function setup(label: string) {
  const prefix = testPrefix(label)
  prefixes.push(prefix)
  const ledger = join(tmpdir(), `celeriac-${prefix.replaceAll(':', '-')}.ledger`)
  files.push(ledger)
  const broker = createRedisBroker({ url: REDIS_URL, prefix, clock: systemClock })
  const spawn = async (name: string, concurrency: number) => {
    const proc = Bun.spawn(
      [
        process.execPath,
        FIXTURE,
        `${REDIS_URL}?prefix=${prefix}`,
        ledger,
        name,
        String(concurrency),
        String(LEASE_MS),
      ],
      {
        stdout: 'pipe',
        stderr: 'inherit',
      },
    )
    const reader = proc.stdout.getReader()
    const { value } = await reader.read()
    expect(new TextDecoder().decode(value)).toStartWith('ready')
    reader.releaseLock()
    return proc
  }
  const lines = (): LedgerLine[] => {
    try {
      return readLedger(readFileSync(ledger, 'utf8'))
    } catch {
      return []
    }
  }
  return { broker, spawn, lines }
}

async function enqueueSleeps(
  broker: ReturnType<typeof createRedisBroker>,
  n: number,
  ms: number,
): Promise<string[]> {
  const task = ledgerSleepTask('/dev/null', 'producer')
  const messages = Array.from({ length: n }, () => buildMessage(task, { ms }, {}, systemClock))
  await broker.enqueue(messages)
  return messages.map((m) => m.id)
}

/** Whether `worker` has a task started and not yet ended. */
function running(lines: LedgerLine[], worker: string): boolean {
  const mine = lines.filter((l) => l.worker === worker)
  const ended = new Set(mine.filter((l) => l.event === 'end').map((l) => l.id))
  return mine.some((l) => l.event === 'start' && !ended.has(l.id))
}

/** Ids that started again without an end in between, by a worker other than a killed one. */
function startsWithoutExpiry(lines: LedgerLine[], killed: Set<string>): string[] {
  const open = new Map<string, LedgerLine>()
  const bad: string[] = []
  for (const l of lines) {
    const running = open.get(l.id)
    if (l.event === 'end') open.delete(l.id)
    else if (running && !killed.has(running.worker)) bad.push(l.id)
    else open.set(l.id, l)
  }
  return bad
}

describe('redis broker with real worker processes', () => {
  test('tasks of workers killed with SIGKILL at random points run again elsewhere; each id ends once', async () => {
    const { broker, spawn, lines } = setup('kill9')
    // Enough work that the third victim still finds tasks when the machine is slow to start it.
    const ids = await enqueueSleeps(broker, 150, 150)
    const survivor = await spawn('survivor', 4)
    const killed = new Set<string>()
    try {
      for (let round = 1; round <= 3; round++) {
        const name = `victim-${round}`
        const victim = await spawn(name, 4)
        await waitFor(`${name} mid-task`, () => running(lines(), name), 10_000)
        // A random point inside a 150 ms task that was running a moment ago.
        await Bun.sleep(Math.floor(Math.random() * 100))
        victim.kill('SIGKILL')
        await victim.exited
        killed.add(name)
      }
      const results = await waitFor(
        'every task terminal',
        async () => {
          const all = await Promise.all(ids.map((id) => broker.getResult(id)))
          return all.every((r) => r?.state === 'SUCCESS') ? all : undefined
        },
        20_000,
      )
      const ledger = lines()
      for (const id of ids) expect(ledger.filter((l) => l.id === id && l.event === 'end')).toHaveLength(1)
      expect(startsWithoutExpiry(ledger, killed)).toEqual([])
      const rerun = ledger.filter((l) => l.event === 'start' && l.redelivered)
      expect(rerun.length).toBeGreaterThan(0)
      for (const l of rerun) expect(results.find((r) => r?.id === l.id)?.attempts).toBeGreaterThanOrEqual(2)
      survivor.kill('SIGTERM')
      expect(await survivor.exited).toBe(0)
    } finally {
      survivor.kill('SIGKILL')
      await broker.close()
    }
  }, 45_000)

  test('two workers racing for 1,000 tasks at concurrency 50 never start a task twice', async () => {
    const { broker, spawn, lines } = setup('race')
    const [a, b] = await Promise.all([spawn('racer-a', 50), spawn('racer-b', 50)])
    try {
      const ids = await enqueueSleeps(broker, 1_000, 1)
      await waitFor(
        'every task done',
        () => lines().filter((l) => l.event === 'end').length >= ids.length,
        20_000,
      )
      const starts = lines().filter((l) => l.event === 'start')
      expect(starts).toHaveLength(ids.length)
      expect(new Set(starts.map((l) => l.id)).size).toBe(ids.length)
      expect(new Set(starts.map((l) => l.worker))).toEqual(new Set(['racer-a', 'racer-b']))
      a.kill('SIGTERM')
      b.kill('SIGTERM')
      expect([await a.exited, await b.exited]).toEqual([0, 0])
    } finally {
      a.kill('SIGKILL')
      b.kill('SIGKILL')
      await broker.close()
    }
  }, 30_000)
})
