import { UnknownTaskError } from './errors.ts'
import type { AnyTask } from './task.ts'

/** The tasks one process knows, by name. Built explicitly: a compiled binary cannot scan folders. */
export class TaskRegistry {
  private readonly byName = new Map<string, AnyTask>()

  constructor(tasks: Iterable<AnyTask> = []) {
    for (const task of tasks) this.add(task)
  }

  add(task: AnyTask): this {
    if (this.byName.has(task.name)) throw new Error(`registry: task '${task.name}' is registered twice`)
    this.byName.set(task.name, task)
    return this
  }

  get(name: string): AnyTask | undefined {
    return this.byName.get(name)
  }

  require(name: string): AnyTask {
    const task = this.byName.get(name)
    if (!task) throw new UnknownTaskError(name, this.names())
    return task
  }

  names(): string[] {
    return [...this.byName.keys()].sort()
  }
}
