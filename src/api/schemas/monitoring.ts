import { z } from 'zod'
import { PageLimit } from './common.ts'

/**
 * The monitoring API's shapes: those the Django setups' Celery dashboards answer with, so their
 * front ends read Celeriac unchanged. Fields beyond theirs are additions, never renames.
 */

export const MonitorStatus = z
  .object({
    status: z.enum(['healthy', 'degraded', 'down']),
    message: z.string(),
    worker_count: z.number().int(),
    active_tasks: z.number().int(),
    success_rate: z.number().meta({
      description: 'percent of finished tasks that succeeded on the online workers; 100 before any finished',
    }),
    timestamp: z.string(),
  })
  .meta({ id: 'MonitorStatus' })

export const MonitorWorkers = z
  .object({
    workers: z.object({
      count: z.number().int(),
      details: z.record(z.string(), z.array(z.looseObject({ id: z.string(), name: z.string() }))),
    }),
    stats: z.record(
      z.string(),
      z.looseObject({
        total: z.number().int(),
        pool: z.object({ 'max-concurrency': z.number().int(), processes: z.array(z.number().int()) }),
      }),
    ),
    timestamp: z.string(),
  })
  .meta({ id: 'MonitorWorkers' })

export const MonitorQueues = z
  .object({
    queues: z.record(
      z.string(),
      z.object({
        name: z.string(),
        workers: z.array(z.string()),
        count: z.number().int().meta({ description: 'online workers consuming the queue' }),
        waiting: z.number().int(),
        delayed: z.number().int(),
        active: z.number().int(),
        dead: z.number().int(),
        oldest_age_seconds: z.number().nullable(),
      }),
    ),
    total_queues: z.number().int(),
    timestamp: z.string(),
  })
  .meta({ id: 'MonitorQueues' })

export const MonitorTaskRow = z
  .object({
    task_id: z.string(),
    name: z.string(),
    status: z
      .string()
      .meta({ description: "the Celery state in lowercase: 'success', 'failure', 'pending', ..." }),
    duration: z.number().nullable().meta({ description: 'run time in seconds' }),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    queue: z.string(),
    worker: z.string().nullable(),
  })
  .meta({ id: 'MonitorTaskRow' })

export const MonitorTaskList = z
  .object({ tasks: z.array(MonitorTaskRow), count: z.number().int() })
  .meta({ id: 'MonitorTaskList' })

export const MonitorTaskDetail = MonitorTaskRow.extend({
  state: z.string(),
  input: z.unknown(),
  result: z.unknown(),
  error: z.object({ type: z.string(), message: z.string() }).nullable(),
  attempts: z.number().int(),
  retries: z.number().int(),
  created_at: z.string().nullable(),
}).meta({ id: 'MonitorTaskDetail' })

/** Query of GET tasks: other parameters (a cache-buster) are ignored, not refused. */
export const MonitorTaskQuery = z.object({
  limit: PageLimit.optional(),
})

/** A Celery call as those dashboards post it: positional args and keyword args. */
export const ExecuteBody = z
  .looseObject({
    args: z.array(z.unknown()).max(1_000).optional(),
    kwargs: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ExecuteBody' })

export const MonitorHealth = z
  .object({
    status: z.enum(['healthy', 'degraded', 'down']),
    message: z.string(),
    checks: z.object({
      broker: z.object({ ok: z.boolean() }),
      workers: z.object({ ok: z.boolean(), count: z.number().int() }),
      queues: z.object({ ok: z.boolean(), unconsumed: z.array(z.string()) }),
    }),
    timestamp: z.string(),
  })
  .meta({ id: 'MonitorHealth' })
