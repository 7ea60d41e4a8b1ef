import type { TaskResult } from '../../core/result.ts'

const HOUR_MS = 3_600_000
/** Error messages are grouped by their first characters so ids in messages do not split groups. */
const ERROR_KEY_CHARS = 200

export interface TaskGroup {
  total: number
  success: number
  failure: number
  durations: number[]
}

export interface ErrorGroup {
  type: string
  message: string
  count: number
  tasks: Set<string>
}

/** Running totals over task history, one task at a time: only numbers are kept per task. */
export class TaskStats {
  total = 0
  readonly byState = new Map<string, number>()
  readonly byQueue = new Map<string, number>()
  readonly byTask = new Map<string, TaskGroup>()
  readonly durations: number[] = []
  readonly errors = new Map<string, ErrorGroup>()
  /** Hour start (ms) → tasks finished in it; `failedPerHour` only failures. */
  readonly finishedPerHour = new Map<number, number>()
  readonly failedPerHour = new Map<number, number>()

  add(task: TaskResult): void {
    this.total++
    bump(this.byState, task.state)
    bump(this.byQueue, task.queue)
    const group = this.byTask.get(task.task) ?? { total: 0, success: 0, failure: 0, durations: [] }
    this.byTask.set(task.task, group)
    group.total++
    if (task.state === 'SUCCESS') group.success++
    if (task.state === 'FAILURE') group.failure++
    if (task.runtimeMs !== null && (task.state === 'SUCCESS' || task.state === 'FAILURE')) {
      group.durations.push(task.runtimeMs)
      this.durations.push(task.runtimeMs)
    }
    if (task.finishedAt !== null) {
      const hour = Math.floor(task.finishedAt / HOUR_MS) * HOUR_MS
      bump(this.finishedPerHour, hour)
      if (task.state === 'FAILURE') bump(this.failedPerHour, hour)
    }
    if (task.state === 'FAILURE' && task.error) this.addError(task)
  }

  private addError(task: TaskResult): void {
    const { type, message } = task.error as NonNullable<TaskResult['error']>
    const key = `${type}\0${message.slice(0, ERROR_KEY_CHARS)}`
    const group = this.errors.get(key) ?? {
      type,
      message: message.slice(0, 1_000),
      count: 0,
      tasks: new Set(),
    }
    this.errors.set(key, group)
    group.count++
    group.tasks.add(task.task)
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}
