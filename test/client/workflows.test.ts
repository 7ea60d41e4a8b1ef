import { afterAll, afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { type Celeriac, chain, chord, createCeleriac, group, sig, type Worker } from '../../src/index.ts'
import { deleteKeys, REDIS_URL, testPrefix } from '../brokers/redis-support.ts'

/** Workflows (chain, group, chord, link, link_error, nesting) through the library, on SQLite and Redis, and eagerly. */
const dirs: string[] = []
const apps: Celeriac[] = []
const workers: Worker[] = []
const prefixes: string[] = []
// Stopping four workers parked in a blocking reserve takes a few seconds.
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()))
  for (const a of apps.splice(0)) await a.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
}, 30_000)
afterAll(() => deleteKeys(REDIS_URL, prefixes))

/** The tasks every test uses; `calls` counts how often the chord callback ran. */
function defineMath(app: Celeriac, calls: { sum: number }) {
  app.defineTask({
    name: 'math.add',
    input: z.object({ x: z.number(), y: z.number() }),
    run: ({ x, y }) => x + y,
  })
  app.defineTask({ name: 'math.double', input: z.number(), run: (n) => n * 2 })
  app.defineTask({
    name: 'math.sum',
    input: z.array(z.number()),
    run: (ns) => {
      calls.sum++
      return ns.reduce((a, b) => a + b, 0)
    },
  })
  app.defineTask({
    name: 'math.scale',
    input: z.object({ factor: z.number(), value: z.number() }),
    run: ({ factor, value }) => factor * value,
  })
  app.defineTask({
    name: 'math.boom',
    input: z.unknown(),
    run: () => {
      throw new Error('boom at step 2')
    },
  })
  app.defineTask({
    name: 'math.note',
    input: z.object({ task_id: z.string(), error: z.object({ type: z.string(), message: z.string() }) }),
    run: (failure) => failure.error.message,
  })
}

/** `eager`: Celery's task_always_eager, the whole workflow run inline at its start, no worker. */
async function setUp(engine: 'sqlite' | 'redis' | 'eager', workerCount = 1) {
  let broker: string
  if (engine !== 'redis') {
    const dir = mkdtempSync(join(tmpdir(), 'celeriac-workflows-'))
    dirs.push(dir)
    broker = `sqlite://${join(dir, 'q.db')}`
  } else {
    const prefix = testPrefix('wf')
    prefixes.push(prefix)
    broker = `${REDIS_URL}?prefix=${prefix}`
  }
  const calls = { sum: 0 }
  const app = createCeleriac({ broker, eager: engine === 'eager' })
  apps.push(app)
  defineMath(app, calls)
  for (let i = 0; i < (engine === 'eager' ? 0 : workerCount); i++) {
    const worker = app.worker({ concurrency: 8, name: `wf-worker-${i}` })
    workers.push(worker)
    await worker.start()
  }
  return { app, calls }
}

describe.each(['sqlite', 'redis', 'eager'] as const)('workflows on %s', (engine) => {
  test('a chain hands each result on: as the input, or under a declared key', async () => {
    const { app } = await setUp(engine)
    const flow = await app.workflow(
      chain(
        sig('math.add', { x: 2, y: 3 }),
        sig('math.double'),
        sig('math.scale', { factor: 10 }, { resultKey: 'value' }),
      ),
    )
    const view = await flow.wait({ timeout: 15_000 })
    expect(view).toMatchObject({ state: 'SUCCESS', result: 100 })
    expect(view.tree).toMatchObject({
      kind: 'chain',
      steps: [{ result: 5 }, { result: 10 }, { result: 100 }],
    })
  })

  test('a group gathers results in order; a chord hands them to its callback once', async () => {
    const { app, calls } = await setUp(engine)
    const members = Array.from({ length: 12 }, (_, i) => sig('math.add', { x: i, y: 0 }))
    expect(
      (await (await app.workflow(group(...members.slice(0, 4)))).wait({ timeout: 15_000 })).result,
    ).toEqual([0, 1, 2, 3])
    const view = await (await app.workflow(chord(members, sig('math.sum')))).wait({ timeout: 15_000 })
    expect(view).toMatchObject({ state: 'SUCCESS', result: 66 })
    expect(calls.sum).toBe(1)
  })

  test('nesting: a chain of a group and a chord inside a chain, a group of chains', async () => {
    const { app } = await setUp(engine)
    const nested = chain(
      sig('math.add', { x: 1, y: 1 }),
      group(sig('math.double'), chain(sig('math.double'), sig('math.double'))),
      sig('math.sum'),
      chord([sig('math.double'), sig('math.add', { x: 1, y: 2 })], sig('math.sum')),
    )
    const view = await (await app.workflow(nested)).wait({ timeout: 15_000 })
    // 2 -> [4, 8] -> 12 -> [24, 3] -> 27
    expect(view).toMatchObject({ state: 'SUCCESS', result: 27 })
  })

  test('a failure stops the chain where it happened and runs link_error; link runs on success', async () => {
    const { app } = await setUp(engine)
    const flow = await app.workflow(
      chain(
        sig('math.add', { x: 1, y: 2 }, { link: [sig('math.double')] }),
        sig('math.boom', undefined, { linkError: [sig('math.note')] }),
        sig('math.double'),
      ),
    )
    const view = await flow.wait({ timeout: 15_000 })
    expect(view.state).toBe('FAILURE')
    const [first, failed, never] = (
      view.tree as {
        steps: {
          state: string
          link?: { result?: unknown }[]
          linkError?: { state: string }[]
          error?: { message: string }
        }[]
      }
    ).steps
    expect(first?.state).toBe('SUCCESS')
    expect(failed).toMatchObject({ state: 'FAILURE', error: { message: 'boom at step 2' } })
    expect(never?.state).toBe('PENDING')
    const settled = await (async () => {
      for (let i = 0; i < 100; i++) {
        const v = await flow.view()
        const steps = (
          v.tree as {
            steps: {
              link?: { state: string; result?: unknown }[]
              linkError?: { state: string; result?: unknown }[]
            }[]
          }
        ).steps
        if (steps[0]?.link?.[0]?.state === 'SUCCESS' && steps[1]?.linkError?.[0]?.state === 'SUCCESS')
          return steps
        await Bun.sleep(50)
      }
      throw new Error('callbacks did not run')
    })()
    expect(settled[0]?.link?.[0]?.result).toBe(6)
    expect(settled[1]?.linkError?.[0]?.result).toBe('boom at step 2')
  })

  test("a next step that refuses its input fails the member before it with the step's error, once", async () => {
    const { app } = await setUp(engine)
    // The group hands [4] on; math.double takes a number: the group's member fails, naming it.
    const flow = await app.workflow(
      chain(sig('math.add', { x: 1, y: 1 }), group(sig('math.double')), sig('math.double')),
    )
    const view = await flow.wait({ timeout: 15_000 })
    expect(view.state).toBe('FAILURE')
    const [added, grouped, never] = (
      view.tree as { steps: { state?: string; members?: { state: string; error?: { message: string } }[] }[] }
    ).steps
    expect(added?.state).toBe('SUCCESS')
    expect(grouped?.members?.[0]?.state).toBe('FAILURE')
    expect(grouped?.members?.[0]?.error?.message).toContain("task 'math.double' input")
    expect(never?.state).toBe('PENDING')
  })

  test('a bad tree is refused before anything is stored, naming the field', async () => {
    const { app } = await setUp(engine, 0)
    await expect(app.workflow({ chain: [] })).rejects.toThrow(/chain needs a member/)
    await expect(app.workflow(chain(sig('math.nope')))).rejects.toThrow(/math.nope/)
    await expect(app.workflow({ chord: [sig('math.add', {})] } as never)).rejects.toThrow(/callback/)
  })
})

describe('a chord on Redis with four workers', () => {
  test('300 members finishing together: the callback runs exactly once, with every result in order', async () => {
    const { app, calls } = await setUp('redis', 4)
    const members = Array.from({ length: 300 }, (_, i) => sig('math.add', { x: i, y: 1 }))
    const view = await (await app.workflow(chord(members, sig('math.sum')))).wait({ timeout: 60_000 })
    expect(view).toMatchObject({ state: 'SUCCESS', result: (300 * 301) / 2 })
    await Bun.sleep(200)
    expect(calls.sum).toBe(1)
  }, 90_000)
})
