import { DEFAULT_QUEUE } from './message.ts'
import type { TaskRegistry } from './registry.ts'

/** The queue name that stands for every queue a registered task routes to (`-Q all`). */
export const EVERY_QUEUE = 'all'

/**
 * The queues a worker consumes, in order: the configured names, with `all` replaced by every
 * queue of the registered tasks (built-in and `-A` ones) in name order, each queue once.
 */
export function consumedQueues(configured: readonly string[], registry: TaskRegistry): string[] {
  const routed = registry.names().map((name) => registry.get(name)?.options.queue ?? DEFAULT_QUEUE)
  return [...new Set(configured.flatMap((q) => (q === EVERY_QUEUE ? [...new Set(routed)].sort() : [q])))]
}
