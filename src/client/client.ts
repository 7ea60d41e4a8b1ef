import type { z } from 'zod'
import type { Broker } from '../brokers/broker.ts'
import type { EnqueueOptions } from '../core/build-message.ts'
import { type Clock, systemClock } from '../core/clock.ts'
import type { TaskMessage } from '../core/message.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { AnyTask, EnqueueFromTask, TaskDefinition } from '../core/task.ts'
import { coalesceEnqueues } from './coalesce-enqueues.ts'
import { type EnqueueRequest, prepareMessages } from './prepare-messages.ts'
import { type ResultSource, TaskHandle } from './task-handle.ts'

export type { EnqueueRequest } from './prepare-messages.ts'

export interface ClientOptions {
  broker: Broker
  registry: TaskRegistry
  clock?: Clock
  /** Runs tasks in-process at enqueue instead of storing them (for users' own test suites). */
  eager?: EagerExecutor
}

/** Celery's task_always_eager: what runs a message at once and keeps its result (the worker's executor). */
export interface EagerExecutor {
  run(message: TaskMessage): Promise<unknown>
  get: ResultSource
}

/** A task bound to a client: `resize.enqueue(input, options)`. */
export interface BoundTask<S extends z.ZodType, R> {
  readonly definition: TaskDefinition<S, R>
  enqueue(input: z.input<S>, options?: EnqueueOptions): Promise<TaskHandle<R>>
}

/** The producer side: validates and enqueues by task or by name, and gives handles to results. */
export class Client {
  readonly registry: TaskRegistry
  /** Stores a batch: concurrent calls of one turn share one broker batch (see coalesceEnqueues). */
  private readonly store: Broker['enqueue']
  readonly clock: Clock
  private readonly eager: EagerExecutor | null
  /** Where this client's handles read results: the broker, or the eager runner's memory. */
  readonly results: ResultSource

  constructor(options: ClientOptions) {
    const broker = options.broker
    this.store = coalesceEnqueues(broker)
    this.registry = options.registry
    this.clock = options.clock ?? systemClock
    this.eager = options.eager ?? null
    this.results = this.eager ? this.eager.get : (id) => broker.getResult(id)
  }

  bind<S extends z.ZodType, R>(definition: TaskDefinition<S, R>): BoundTask<S, R> {
    return {
      definition,
      enqueue: (input, options) => this.enqueue(definition, input, options) as Promise<TaskHandle<R>>,
    }
  }

  async enqueue(task: AnyTask | string, input: unknown, options: EnqueueOptions = {}): Promise<TaskHandle> {
    const [handle] = await this.send(prepareMessages(this.registry, [{ task, input, options }], this.clock))
    return handle as TaskHandle
  }

  /** Enqueues for a running task (its ctx.enqueue), by definition or by name. */
  fromTask: EnqueueFromTask = async (target, input, options) => {
    const handle = await this.enqueue(typeof target === 'string' ? target : target.name, input, options)
    return { id: handle.id, created: handle.created }
  }

  /**
   * Validates every request first, then stores them in one atomic batch. With `numbered`, a
   * validation error names the item by its index (`tasks.3.input.ms`), as the API's batch answers.
   */
  async enqueueMany(requests: EnqueueRequest[], options: { numbered?: boolean } = {}): Promise<TaskHandle[]> {
    return this.send(prepareMessages(this.registry, requests, this.clock, options))
  }

  /** Stores messages already built by `prepareMessages` (validated once, before any connection). */
  async send(messages: TaskMessage[]): Promise<TaskHandle[]> {
    if (this.eager) {
      const handles: TaskHandle[] = []
      for (const message of messages) {
        await this.eager.run(message)
        handles.push(new TaskHandle(message.id, true, this.results))
      }
      return handles
    }
    const outcomes = await this.store(messages)
    return outcomes.map((o) => new TaskHandle(o.id, o.created, this.results))
  }

  /** A handle to a task enqueued elsewhere (by id). */
  handle<R = unknown>(id: string): TaskHandle<R> {
    return new TaskHandle<R>(id, false, this.results)
  }
}
