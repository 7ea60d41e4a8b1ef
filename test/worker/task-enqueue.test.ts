import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { type Celeriac, createCeleriac } from '../../src/index.ts'

/** ctx.enqueue: a running task enqueues others (Celery's `.delay()` inside a task). */
const dirs: string[] = []
const apps: Celeriac[] = []

function app(options: Parameters<typeof createCeleriac>[0] = {}): Celeriac {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-task-enqueue-'))
  dirs.push(dir)
  const created = createCeleriac({ broker: `sqlite://${join(dir, 'q.db')}`, ...options })
  apps.push(created)
  return created
}

afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function defineFamily(celeriac: Celeriac) {
  const leaf = celeriac.defineTask({
    name: 'family.leaf',
    input: z.object({ n: z.number().int() }),
    run: async ({ n }, ctx) => ({ doubled: n * 2, parentId: ctx.parentId, rootId: ctx.rootId }),
  })
  const parent = celeriac.defineTask({
    name: 'family.parent',
    input: z.object({ n: z.number().int() }),
    run: async ({ n }, ctx) => {
      const byName = await ctx.enqueue('family.leaf', { n })
      const byDefinition = await ctx.enqueue(leaf.definition, { n: n + 1 }, { idempotencyKey: `leaf-${n}` })
      const again = await ctx.enqueue(leaf.definition, { n: n + 1 }, { idempotencyKey: `leaf-${n}` })
      return {
        children: [byName.id, byDefinition.id],
        againCreated: again.created,
        sameId: again.id === byDefinition.id,
      }
    },
  })
  const badChild = celeriac.defineTask({
    name: 'family.bad-child',
    input: z.object({}),
    run: async (_, ctx) => ctx.enqueue('family.leaf', { n: 'two' }),
  })
  return { leaf, parent, badChild }
}

describe('ctx.enqueue', () => {
  test('children run with the task as parent and its root as root; an idempotency key matches', async () => {
    const celeriac = app()
    const { parent } = defineFamily(celeriac)
    const worker = celeriac.worker({ concurrency: 4 })
    await worker.start()
    try {
      const handle = await parent.enqueue({ n: 5 })
      const result = (await handle.result({ timeout: 10_000 })) as {
        children: string[]
        againCreated: boolean
        sameId: boolean
      }
      expect(result.againCreated).toBe(false)
      expect(result.sameId).toBe(true)
      for (const [i, id] of result.children.entries()) {
        const child = await celeriac.result(id).wait({ timeout: 10_000 })
        expect(child).toMatchObject({
          state: 'SUCCESS',
          result: { doubled: (5 + i) * 2, parentId: handle.id, rootId: handle.id },
        })
      }
    } finally {
      await worker.stop()
    }
  })

  test('a child that fails validation fails the parent with the field named, not the worker', async () => {
    const celeriac = app()
    const { badChild } = defineFamily(celeriac)
    const worker = celeriac.worker({ concurrency: 1 })
    await worker.start()
    try {
      const stored = await (await badChild.enqueue({})).wait({ timeout: 10_000 })
      expect(stored.state).toBe('FAILURE')
      expect(stored.error?.message).toContain('n')
    } finally {
      await worker.stop()
    }
  })

  test('eagerly, a child runs in-process before the parent returns', async () => {
    const celeriac = app({ eager: true })
    const { parent } = defineFamily(celeriac)
    const handle = await parent.enqueue({ n: 1 })
    const { children } = (await handle.result()) as { children: string[] }
    for (const id of children) expect((await celeriac.result(id).wait()).state).toBe('SUCCESS')
  })
})
