import type { z } from 'zod'
import { afterChecks } from './brokers/after-checks.ts'
import type { BrokerEngine } from './brokers/broker.ts'
import { createBroker, verifyBroker } from './brokers/create-broker.ts'
import { checkCeleryUrl } from './brokers/redis/celery/check-celery-url.ts'
import { CeleryClient } from './client/celery-client.ts'
import { type BoundTask, Client } from './client/client.ts'
import type { TaskHandle } from './client/task-handle.ts'
import type { WorkflowHandle } from './client/workflows/workflow-handle.ts'
import { WorkflowRunner } from './client/workflows/workflow-runner.ts'
import { brokerOptions } from './config/broker-options.ts'
import { type Config, DEFAULT_CONFIG } from './config/config-schema.ts'
import type { EnqueueOptions } from './core/build-message.ts'
import { type Clock, systemClock } from './core/clock.ts'
import { consumedQueues } from './core/consumed-queues.ts'
import { type Logger, silentLogger } from './core/logger.ts'
import { TaskRegistry } from './core/registry.ts'
import { type AnyTask, defineTask, type TaskDefinition, type TaskSpec } from './core/task.ts'
import type { WorkflowSpec } from './core/workflow.ts'
import { createBuiltinTasks } from './tasks/index.ts'
import { createTaskServices, type TaskServices } from './tasks/task-services.ts'
import { VERSION } from './version.ts'
import { EagerRunner } from './worker/eager-runner.ts'
import { createWorker, type Worker, type WorkerOptions } from './worker/worker.ts'

export interface CeleriacOptions {
  /** A broker URL (default `sqlite://./data/celeriac.db`) or an engine you built. */
  broker?: string | BrokerEngine
  /** Settings as the CLI's config has them (worker defaults, result expiry, allowEviction, ...). */
  config?: Partial<Config>
  /** Your tasks; more can be added with `defineTask` / `task` later. */
  tasks?: AnyTask[]
  /** Include the built-in tasks (debug.*, ...). Default true. */
  builtins?: boolean
  /** Celery's task_always_eager: run tasks in-process at enqueue (for your own test suites). */
  eager?: boolean
  clock?: Clock
  log?: Logger
  /** What built-in tasks use (config, mail transport, DNS); default: default config, this broker. */
  services?: TaskServices
}

/**
 * The library's front door, like Celery's `app`: one registry, one broker, one producer client.
 * Nothing happens at import: the broker opens when this is called.
 */
export class Celeriac {
  readonly registry: TaskRegistry
  readonly broker: BrokerEngine
  readonly client: Client
  readonly config: Config
  /** The broker as producers and workers use it: after the start-up checks the CLI runs too. */
  private readonly checked: BrokerEngine
  private readonly services: TaskServices
  private readonly clock: Clock
  private readonly log: Logger
  private celeryClient: CeleryClient | null = null
  private readonly workflows: WorkflowRunner

  constructor(options: CeleriacOptions = {}) {
    this.clock = options.clock ?? systemClock
    this.log = options.log ?? silentLogger
    const broker = options.broker ?? options.config?.brokerUrl ?? DEFAULT_CONFIG.brokerUrl
    this.config = Object.freeze({
      ...DEFAULT_CONFIG,
      ...options.config,
      ...(typeof broker === 'string' ? { brokerUrl: broker } : {}),
    })
    const opening = brokerOptions(this.config, { clock: this.clock, log: this.log })
    this.broker = typeof broker === 'string' ? createBroker(broker, opening) : broker
    this.checked = afterChecks(this.broker, verifyBroker(this.broker, opening))
    this.services =
      options.services ??
      createTaskServices({
        config: this.config,
        clock: this.clock,
        log: this.log,
        broker: async () => this.broker,
      })
    this.registry = new TaskRegistry([
      ...(options.builtins === false ? [] : createBuiltinTasks(this.services)),
      ...(options.tasks ?? []),
    ])
    const eager = options.eager ? new EagerRunner(this.registry, this.clock, this.log) : undefined
    this.client = new Client({ broker: this.checked, registry: this.registry, clock: this.clock, eager })
    if (eager) eager.enqueue = this.client.fromTask
    this.workflows = new WorkflowRunner(this.client, this.checked)
    if (eager) eager.workflows = this.workflows
  }

  /** Declares a task, registers it here and returns it bound: `await resize.enqueue(input)`. */
  defineTask<S extends z.ZodType, R>(spec: TaskSpec<S, R>): BoundTask<S, R> {
    return this.task(defineTask(spec))
  }

  /** Registers a task defined elsewhere (if not yet) and binds it to this app. */
  task<S extends z.ZodType, R>(definition: TaskDefinition<S, R>): BoundTask<S, R> {
    if (this.registry.get(definition.name) !== definition) this.registry.add(definition)
    return this.client.bind(definition)
  }

  enqueue(task: AnyTask | string, input: unknown, options?: EnqueueOptions): Promise<TaskHandle> {
    return this.client.enqueue(task, input, options)
  }

  /**
   * Python Celery on this app's Redis broker: `app.celery.send('myapp.tasks.add', { args: [2, 3] })`
   * sends a task a Python worker runs; `app.celery.handle(id).result()` reads what it wrote.
   * Opened on first use; a non-Redis broker URL is refused here, naming the URL.
   */
  get celery(): CeleryClient {
    if (this.celeryClient === null) {
      checkCeleryUrl(this.config.brokerUrl, 'Python Celery workers are reached through their Redis')
      this.celeryClient = CeleryClient.open(this.config.brokerUrl, this.clock)
    }
    return this.celeryClient
  }

  /**
   * Starts a workflow (Celery's canvas): `app.workflow(chain(sig('a'), group(sig('b'), sig('c')), sig('d')))`.
   * The handle's `view()` shows every member's state, `wait()` waits for the end.
   */
  workflow(spec: WorkflowSpec): Promise<WorkflowHandle> {
    return this.workflows.start(spec)
  }

  /** A handle to a workflow by id. */
  workflowResult(id: string): WorkflowHandle {
    return this.workflows.handle(id)
  }

  /** A handle to any task by id (Celery's AsyncResult(id)). */
  result<R = unknown>(id: string): TaskHandle<R> {
    return this.client.handle<R>(id)
  }

  /** A worker for this app's tasks, with the config's defaults (`queues: ['all']`: every task's queue); call `start()` on it. */
  worker(options: Partial<Omit<WorkerOptions, 'broker' | 'registry'>> = {}): Worker {
    const c = this.config
    return createWorker({
      broker: this.checked,
      registry: this.registry,
      concurrency: c.concurrency,
      leaseMs: c.leaseMs,
      graceMs: c.graceMs,
      heartbeatMs: c.heartbeatMs,
      ...(c.maxMemoryMb === null ? {} : { maxMemoryMb: c.maxMemoryMb }),
      ...(c.workerName === null ? {} : { name: c.workerName }),
      clock: this.clock,
      log: this.log,
      version: VERSION,
      config: c,
      ...options,
      queues: consumedQueues(options.queues ?? c.queues, this.registry),
    })
  }

  async close(): Promise<void> {
    await this.services.close()
    await this.celeryClient?.close()
    await this.broker.close()
  }
}

export function createCeleriac(options: CeleriacOptions = {}): Celeriac {
  return new Celeriac(options)
}
