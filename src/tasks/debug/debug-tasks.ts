import { z } from 'zod'
import { defineTask } from '../../core/task.ts'
import { abortableSleep } from './abortable-sleep.ts'

/** Does nothing: for benchmarks and smoke tests. */
export const debugNoop = defineTask({
  name: 'debug.noop',
  description: 'Does nothing and returns null.',
  input: z.object({}).loose().default({}),
  run: () => null,
})

/** Sleeps, honouring abort (revoke, soft limit, shutdown): for tests of limits and shutdown. */
export const debugSleep = defineTask({
  name: 'debug.sleep',
  description: 'Sleeps `ms` milliseconds (stops early on abort) and returns how long it slept.',
  input: z.object({ ms: z.number().int().min(0).max(3_600_000) }),
  run: async ({ ms }, ctx) => {
    await abortableSleep(ms, ctx.signal)
    return { slept: ms }
  },
})

/** Fails its first `times` attempts, then succeeds: shows retries with a short backoff. */
export const debugFail = defineTask({
  name: 'debug.fail',
  description: 'Throws on its first `times` attempts, then returns the attempt that succeeded.',
  input: z.object({
    times: z.number().int().min(0).max(10).default(1),
    message: z.string().max(1000).default('debug.fail: planned failure'),
  }),
  retry: { max: 10, backoff: 'exponential', delay: 200, maxDelay: 2_000, jitter: false },
  run: ({ times, message }, ctx) => {
    if (ctx.attempt <= times) throw new Error(`${message} (attempt ${ctx.attempt} of ${times + 1})`)
    return { succeededOnAttempt: ctx.attempt }
  },
})
