import { z } from 'zod'
import type { ZodOpenApiPathsObject, ZodOpenApiResponsesObject } from 'zod-openapi'
import { ErrorBody, TaskId } from '../schemas/common.ts'
import { Enqueued, OptionHeaders } from '../schemas/enqueue.ts'
import {
  ExecuteBody,
  MonitorHealth,
  MonitorQueues,
  MonitorStatus,
  MonitorTaskDetail,
  MonitorTaskList,
  MonitorTaskQuery,
  MonitorWorkers,
} from '../schemas/monitoring.ts'

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } })
const error = (description: string) => ({ description, ...json(ErrorBody) })
const COMMON: ZodOpenApiResponsesObject = {
  '400': error('bad input, with the fields named'),
  '401': error('no or wrong bearer token'),
  '403': error('the token lacks the scope'),
  '429': error('rate limited; see Retry-After'),
}
const ok = (description: string, schema: z.ZodType, extra: ZodOpenApiResponsesObject = {}) => ({
  responses: { '200': { description, ...json(schema) }, ...COMMON, ...extra },
})
const enqueued = {
  '202': { description: 'enqueued', ...json(Enqueued) },
  '404': error('unknown_task, with did_you_mean'),
  ...COMMON,
}

/**
 * The monitoring API at the prefix this process serves it under: the document describes the
 * routes that answer here, so it has these paths only when CELERIAC_MONITORING_PREFIX is set.
 */
export function monitoringPaths(prefix: string): ZodOpenApiPathsObject {
  const tags = ['monitoring']
  return {
    [`${prefix}/status`]: {
      get: {
        tags,
        summary: 'healthy, degraded or down, with the success rate in percent',
        ...ok('status', MonitorStatus, { '503': { description: 'down', ...json(MonitorStatus) } }),
      },
    },
    [`${prefix}/workers`]: {
      get: { tags, summary: "Online workers' active tasks and stats", ...ok('workers', MonitorWorkers) },
    },
    [`${prefix}/queues`]: {
      get: {
        tags,
        summary: 'Every known queue with its consumers and backlog',
        ...ok('queues', MonitorQueues),
      },
    },
    [`${prefix}/tasks`]: {
      get: {
        tags,
        summary: 'Recent tasks, newest first (limit: default 50, at most 1000)',
        requestParams: { query: MonitorTaskQuery },
        ...ok('tasks', MonitorTaskList),
      },
    },
    [`${prefix}/tasks/{id}`]: {
      get: {
        tags,
        summary: 'One task',
        requestParams: { path: z.object({ id: TaskId }) },
        ...ok('the task', MonitorTaskDetail, { '404': error('unknown or expired') }),
      },
    },
    [`${prefix}/tasks/{name}/execute`]: {
      post: {
        tags,
        summary:
          "Enqueue a task from Celery-style args and kwargs (kwargs by name, args by the task's celeryArgs)",
        requestParams: { path: z.object({ name: z.string() }), header: OptionHeaders },
        requestBody: json(ExecuteBody),
        responses: enqueued,
      },
    },
    [`${prefix}/health_check`]: {
      get: { tags, summary: 'Broker, workers and queues checked now', ...ok('checks', MonitorHealth) },
      post: { tags, summary: 'Run the health-check task', responses: enqueued },
    },
    [`${prefix}/metrics/prometheus`]: {
      get: {
        tags,
        summary: 'The same Prometheus text as /metrics',
        responses: {
          '200': { description: 'text format', content: { 'text/plain': { schema: z.string() } } },
        },
      },
    },
  }
}
