/** The library: what a TypeScript backend imports to define, enqueue and run tasks. */

/** The zod this library validates with: task modules under the binary import it from here. */
export { z } from 'zod'
export type { BrokerEngine } from './brokers/broker.ts'
export { createBroker, redactUrl } from './brokers/create-broker.ts'
export { Celeriac, type CeleriacOptions, createCeleriac } from './celeriac.ts'
export { type BoundTask, Client } from './client/client.ts'
export { TaskFailedError, TaskHandle } from './client/task-handle.ts'
export { chain, chord, group, sig } from './client/workflows/canvas.ts'
export type { WorkflowHandle, WorkflowView } from './client/workflows/workflow-handle.ts'
export type { EnqueueOptions } from './core/build-message.ts'
export { type Clock, FakeClock, systemClock } from './core/clock.ts'
export {
  CeleriacError,
  RetryError,
  SoftTimeLimitExceeded,
  TaskRevokedError,
  TimeLimitExceeded,
  UnknownTaskError,
  UnrecoverableError,
  ValidationError,
} from './core/errors.ts'
export type { TaskResult } from './core/result.ts'
export type { TaskState } from './core/states.ts'
export { defineTask, type TaskContext, type TaskDefinition } from './core/task.ts'
export type { TaskCallSpec, WorkflowSpec } from './core/workflow.ts'
export { createWorker, Worker, type WorkerExit, type WorkerOptions } from './worker/worker.ts'
