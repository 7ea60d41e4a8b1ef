import { z } from 'zod'
import { TaskState } from '../../core/states.ts'
import { PageLimit, Timestamp } from './common.ts'

export const TaskListQuery = z
  .object({
    state: TaskState.optional(),
    name: z.string().max(200).optional(),
    queue: z.string().max(100).optional(),
    since: Timestamp.optional(),
    until: Timestamp.optional(),
    q: z.string().max(200).optional().meta({ description: 'searched in the task name and input text' }),
    limit: PageLimit.optional(),
    cursor: z.string().max(200).optional().meta({ description: 'next_cursor of the previous page' }),
  })
  .strict()

export const RevokeQuery = z.object({ terminate: z.enum(['true', 'false', '1', '0']).optional() }).strict()

const Iso = z.string().nullable()

export const TaskView = z
  .object({
    task_id: z.string(),
    task: z.string(),
    state: TaskState,
    queue: z.string(),
    input: z.unknown(),
    result: z.unknown(),
    error: z
      .object({
        type: z.string(),
        message: z.string(),
        stack: z.string().nullable(),
        code: z.string().nullable(),
      })
      .nullable(),
    meta: z.unknown(),
    attempts: z.number().int(),
    retries: z.number().int(),
    worker: z.string().nullable(),
    dead_reason: z.string().nullable(),
    created_at: Iso,
    eta: Iso,
    started_at: Iso,
    finished_at: Iso,
    runtime_ms: z.number().nullable(),
    expires_at: Iso,
  })
  .meta({ id: 'Task' })

export const EventView = z
  .object({
    seq: z.string(),
    type: z.string(),
    at: z.string(),
    task_id: z.string().nullable(),
    task: z.string().nullable(),
    queue: z.string().nullable(),
    data: z.unknown(),
  })
  .meta({ id: 'Event' })

export const TaskDetail = TaskView.extend({ history: z.array(EventView) }).meta({ id: 'TaskDetail' })

export const TaskStatus = z
  .object({
    task_id: z.string(),
    status: TaskState,
    ready: z.boolean(),
    successful: z.boolean(),
    result: z.unknown(),
  })
  .meta({ id: 'TaskStatus' })

export const TaskPage = z
  .object({
    tasks: z.array(TaskView),
    next_cursor: z.string().nullable(),
    truncated: z.boolean().meta({
      description:
        'the per-request scan budget ran out before the page filled: follow next_cursor for more matches',
    }),
  })
  .meta({ id: 'TaskPage' })
