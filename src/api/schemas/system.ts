import { z } from 'zod'

export const WorkersView = z
  .object({
    timestamp: z.string(),
    total_workers: z.number().int(),
    total_active_tasks: z.number().int(),
    workers: z.record(z.string(), z.looseObject({ status: z.string(), active_tasks: z.number().int() })),
  })
  .meta({ id: 'Workers' })

export const QueuesView = z
  .object({
    queues: z.array(
      z.object({
        name: z.string(),
        waiting: z.number().int(),
        delayed: z.number().int(),
        active: z.number().int(),
        dead: z.number().int(),
        oldest_age_seconds: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'Queues' })

export const StatusView = z
  .object({
    status: z.enum(['healthy', 'degraded', 'down']),
    message: z.string(),
    worker_count: z.number().int(),
    active_tasks: z.number().int(),
    /** Succeeded / (succeeded + failed) over the online workers' lifetimes; null before any outcome. */
    success_rate: z.number().nullable(),
    /** Queues with waiting tasks that no online worker consumes. */
    unconsumed_queues: z.array(z.string()),
    timestamp: z.string(),
  })
  .meta({ id: 'Status' })
export type StatusView = z.infer<typeof StatusView>
