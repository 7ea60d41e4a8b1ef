import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { prepareMessages } from '../../src/client/prepare-messages.ts'
import { FakeClock } from '../../src/core/clock.ts'
import { ValidationError } from '../../src/core/errors.ts'
import { TaskRegistry } from '../../src/core/registry.ts'
import { defineTask } from '../../src/core/task.ts'

const sleep = defineTask({ name: 'debug.sleep', input: z.object({ ms: z.number() }), run: () => null })
const registry = new TaskRegistry([sleep])
const clock = new FakeClock(Date.UTC(2026, 5, 1))

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn()
  } catch (err) {
    if (err instanceof ValidationError) return err
    throw err
  }
  throw new Error('no error')
}

describe('prepareMessages', () => {
  test('names the failing item of a batch by its index, input and options alike', () => {
    const requests = [
      { task: 'debug.sleep', input: { ms: 1 } },
      { task: 'debug.sleep', input: { ms: 1 }, options: { priority: 42 } },
    ]
    const err = errorOf(() => prepareMessages(registry, requests, clock, { numbered: true }))
    expect(err.subject).toBe('tasks[1] (debug.sleep)')
    expect(err.issues.map((i) => i.path)).toEqual(['tasks.1.options.priority'])
    const input = errorOf(() =>
      prepareMessages(registry, [{ task: sleep, input: {} }], clock, { numbered: true }),
    )
    expect(input.issues.map((i) => i.path)).toEqual(['tasks.0.input.ms'])
  })

  test('without numbering, the error names the task as a single enqueue does', () => {
    const err = errorOf(() => prepareMessages(registry, [{ task: 'debug.sleep', input: {} }], clock))
    expect(err.subject).toBe("task 'debug.sleep' input")
    expect(err.issues.map((i) => i.path)).toEqual(['ms'])
  })
})
