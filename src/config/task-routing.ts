import { z } from 'zod'
import { QueueName } from '../core/message.ts'
import type { AnyTask } from '../core/task.ts'
import { matchesPattern, overrideTask, TaskOverride, TaskPattern } from '../core/task-overrides.ts'

/** Celery's `task_routes`: task name pattern -> queue; the first pattern that matches wins. */
export const TaskRoutes = z.record(TaskPattern, QueueName)

/**
 * Celery's `task_annotations`: task name pattern -> settings. Every matching entry applies, in
 * order, each over the one before; an annotation's queue wins over a route's.
 */
export const TaskAnnotations = z.record(TaskPattern, TaskOverride)

/** A registered task with the config's routes and annotations applied (unchanged when none match). */
export function applyTaskSettings(
  task: AnyTask,
  routes: z.infer<typeof TaskRoutes>,
  annotations: z.infer<typeof TaskAnnotations>,
): AnyTask {
  const routed = Object.entries(routes).find(([pattern]) => matchesPattern(pattern, task.name))
  const merged: TaskOverride = routed ? { queue: routed[1] } : {}
  for (const [pattern, override] of Object.entries(annotations)) {
    if (!matchesPattern(pattern, task.name)) continue
    Object.assign(merged, override, { retry: { ...merged.retry, ...override.retry } })
  }
  if (Object.keys(merged).length === 0) return task
  return overrideTask(task, merged)
}
