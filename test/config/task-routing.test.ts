import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { applyTaskSettings, TaskAnnotations, TaskRoutes } from '../../src/config/task-routing.ts'
import { buildMessage } from '../../src/core/build-message.ts'
import { defineTask, isTaskDefinition } from '../../src/core/task.ts'
import { matchesPattern } from '../../src/core/task-overrides.ts'

const send = defineTask({ name: 'email.send', queue: 'email', input: z.object({}), run: () => 'sent' })
const total = defineTask({
  name: 'shop.total',
  queue: 'orders',
  retry: { max: 5, delay: 1_000 },
  input: z.object({}),
  run: () => 1,
})

describe('Celery-style routes and annotations', () => {
  test('patterns match whole names, with * for any run of characters', () => {
    expect(matchesPattern('email.*', 'email.send')).toBe(true)
    expect(matchesPattern('email.*', 'emailxsend')).toBe(false)
    expect(matchesPattern('*.total', 'shop.total')).toBe(true)
    expect(matchesPattern('shop.total', 'shop.totals')).toBe(false)
  })

  test('the first matching route sets the queue; other settings stay the task’s own', () => {
    const routes = TaskRoutes.parse({ 'email.*': 'emails', '*': 'catch-all' })
    const routed = applyTaskSettings(send, routes, {})
    expect(routed.options.queue).toBe('emails')
    expect(routed.options.priority).toBe(send.options.priority)
    expect(applyTaskSettings(total, routes, {}).options.queue).toBe('catch-all')
    expect(isTaskDefinition(routed)).toBe(true)
    expect(routed.run).toBe(send.run)
  })

  test('annotations apply in order, each over the one before, and win over a route', () => {
    const annotations = TaskAnnotations.parse({
      '*': { rateLimit: '10/s', retry: { max: 1 } },
      'shop.*': { queue: 'priority-orders', priority: 9, retry: { delay: 50 } },
    })
    const t = applyTaskSettings(total, { 'shop.*': 'slow' }, annotations)
    expect(t.options).toMatchObject({ queue: 'priority-orders', priority: 9, rateLimit: '10/s' })
    expect(t.options.retry).toMatchObject({ max: 1, delay: 50 })
  })

  test("an annotation's resultExpires travels on every message of the task", () => {
    const t = applyTaskSettings(total, {}, TaskAnnotations.parse({ 'shop.*': { resultExpires: 3_600_000 } }))
    expect(t.options.resultExpires).toBe(3_600_000)
    expect(buildMessage(t, {}, {}, { now: () => 0 }).resultExpires).toBe(3_600_000)
    expect(buildMessage(total, {}, {}, { now: () => 0 }).resultExpires).toBeNull()
  })

  test('an annotation keeps the options it does not name: celeryArgs, unique and the description', () => {
    const add = defineTask({
      name: 'shop.add',
      input: z.object({ x: z.number(), y: z.number() }),
      celeryArgs: ['x', 'y'],
      unique: { key: ({ x }) => `x${x}`, for: '1m' },
      description: 'adds',
      run: ({ x, y }) => x + y,
    })
    const t = applyTaskSettings(add, {}, TaskAnnotations.parse({ 'shop.*': { timeLimit: { hard: 1_000 } } }))
    expect(t.options).toMatchObject({
      celeryArgs: ['x', 'y'],
      description: 'adds',
      timeLimit: { hard: 1_000 },
    })
    expect(t.options.unique?.for).toBe(60_000)
    expect(buildMessage(t, { x: 2, y: 3 }, {}, { now: () => 0 }).unique).toEqual({ key: 'x2', until: 60_000 })
  })

  test("an annotation gives a task it did not define fair sharing: a cap per call's key, a rate per key; the key function is kept", () => {
    const send = defineTask({ name: 'mail.send', input: z.object({ to: z.string() }), run: () => 1 })
    const capped = applyTaskSettings(
      send,
      {},
      TaskAnnotations.parse({ 'mail.*': { concurrency: 2, keyRateLimit: '10/m' } }),
    )
    expect(buildMessage(capped, { to: 'a' }, { concurrencyKey: 'tenant-1' }, { now: () => 0 }).group).toEqual(
      {
        key: 'tenant-1',
        limit: 2,
      },
    )
    expect(buildMessage(capped, { to: 'a' }, {}, { now: () => 0 }).group).toEqual({ key: null, limit: 2 })
    const keyed = defineTask({
      name: 'tenant.sync',
      input: z.object({ tenant: z.string() }),
      concurrencyKey: ({ tenant }) => tenant,
      concurrency: 5,
      run: () => 1,
    })
    const raised = applyTaskSettings(keyed, {}, TaskAnnotations.parse({ 'tenant.*': { concurrency: 8 } }))
    expect(buildMessage(raised, { tenant: 'acme' }, {}, { now: () => 0 }).group).toEqual({
      key: 'acme',
      limit: 8,
    })
    expect(() => TaskAnnotations.parse({ 'mail.*': { concurrency: 0 } })).toThrow()
  })

  test('a task no pattern matches is returned as it is', () => {
    expect(applyTaskSettings(total, { 'email.*': 'emails' }, { 'x.*': { priority: 1 } })).toBe(total)
  })

  test('bad patterns and settings are refused, naming the field', () => {
    const route = TaskRoutes.safeParse({ 'email.*': 'bad queue!' })
    expect(route.error?.issues[0]?.path).toEqual(['email.*'])
    const annotation = TaskAnnotations.safeParse({ 'shop.*': { rateLimit: 'fast' } })
    expect(annotation.error?.issues[0]?.path).toEqual(['shop.*', 'rateLimit'])
    expect(TaskAnnotations.safeParse({ 'shop.*': { queu: 'x' } }).success).toBe(false)
    expect(TaskRoutes.safeParse({ 'a b': 'x' }).success).toBe(false)
  })
})
