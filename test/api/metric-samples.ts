import { z } from 'zod'
import { UnrecoverableError } from '../../src/core/errors.ts'
import { defineTask } from '../../src/core/task.ts'
import type { makeApi } from './api-harness.ts'

export type Api = ReturnType<typeof makeApi>

/** A task that always fails for good: its outcomes feed the failure series. */
export function alwaysFailing(name: string) {
  return defineTask({
    name,
    input: z.object({}),
    run: () => {
      throw new UnrecoverableError('always')
    },
  })
}

/** The text of /metrics once the api has read every event written so far. */
export async function scrapeResponse(api: Api): Promise<Response> {
  await api.tail.pollOnce()
  return api.request('/metrics')
}

/** The value of the sample line that starts with `prefix` (a metric name with its labels). */
export function sample(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(prefix))
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}
