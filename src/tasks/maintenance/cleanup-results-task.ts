import { z } from 'zod'
import { defineTask } from '../../core/task.ts'
import type { FileTaskServices } from '../file-task-services.ts'

const DAY_MS = 86_400_000

/** maintenance.cleanup_results: expired results and old events go (beat runs it daily). */
export function createCleanupResultsTask(services: FileTaskServices) {
  return defineTask({
    name: 'maintenance.cleanup_results',
    description:
      'Deletes results past their expiry and task events older than events_older_than_days (default 7).',
    queue: 'maintenance',
    input: z.object({ events_older_than_days: z.number().int().min(1).max(3_650).default(7) }).default({
      events_older_than_days: 7,
    }),
    retry: { max: 3, backoff: 'exponential', delay: 60_000, maxDelay: 900_000, jitter: true },
    timeLimit: { soft: 5 * 60_000, hard: 6 * 60_000 },
    run: async (input) => {
      const admin = await services.admin()
      return admin.cleanup(input.events_older_than_days * DAY_MS)
    },
  })
}
