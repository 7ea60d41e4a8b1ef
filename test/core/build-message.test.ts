import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { buildMessage } from '../../src/core/build-message.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { ValidationError } from '../../src/core/errors.ts'
import { defineTask } from '../../src/core/task.ts'

const resize = defineTask({
  name: 'image.resize',
  input: z.object({ path: z.string(), width: z.number().int().positive() }),
  queue: 'media',
  priority: 3,
  retry: { max: 3, backoff: 'exponential', delay: 1_000, maxDelay: 60_000, jitter: true },
  timeLimit: { soft: 30_000, hard: 60_000 },
  expires: 10_000,
  run: () => null,
})

describe('buildMessage', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 1))

  test('fills queue, priority, limits and retry policy from the task', () => {
    const m = buildMessage(resize, { path: 'a.jpg', width: 10 }, {}, clock)
    expect(m).toMatchObject({ task: 'image.resize', queue: 'media', priority: 3, eta: null, v: 1 })
    expect(m.timeLimit).toEqual({ soft: 30_000, hard: 60_000 })
    expect(m.retry.max).toBe(3)
    expect(m.expires).toBe(clock.now() + 10_000)
  })

  test('turns a countdown into an eta and lets options override the task defaults', () => {
    const m = buildMessage(
      resize,
      { path: 'a', width: 1 },
      { countdown: 5_000, priority: 7, queue: 'fast' },
      clock,
    )
    expect(m.eta).toBe(clock.now() + 5_000)
    expect(m).toMatchObject({ priority: 7, queue: 'fast' })
  })

  test("counts expires from the send, as Celery does, not from the countdown's end", () => {
    const m = buildMessage(resize, { path: 'a', width: 1 }, { countdown: 3_000, expires: 1_000 }, clock)
    expect(m.eta).toBe(clock.now() + 3_000)
    expect(m.expires).toBe(clock.now() + 1_000)
  })

  test('treats a past eta as now and refuses one more than a year ahead', () => {
    expect(buildMessage(resize, { path: 'a', width: 1 }, { eta: clock.now() - 1000 }, clock).eta).toBeNull()
    const far = new Date(clock.now() + 400 * 86_400_000).toISOString()
    expect(() => buildMessage(resize, { path: 'a', width: 1 }, { eta: far }, clock)).toThrow(
      /eta: more than a year/,
    )
  })

  test('names every wrong input field at once', () => {
    try {
      buildMessage(resize, { path: 5, width: -1 }, {}, clock)
      throw new Error('expected a ValidationError')
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError)
      const paths = (err as ValidationError).issues.map((i) => i.path)
      expect(paths).toEqual(['path', 'width'])
    }
  })

  test('rejects unknown options, negative countdowns and out-of-range priorities by name', () => {
    const bad = (options: object) => () =>
      buildMessage(resize, { path: 'a', width: 1 }, options as never, clock)
    expect(bad({ countdown: -1 })).toThrow(/countdown/)
    expect(bad({ priority: 10 })).toThrow(/priority/)
    expect(bad({ colour: 'red' })).toThrow(/colour/)
  })
})
