import { z } from 'zod'
import type { ZodOpenApiPathsObject, ZodOpenApiResponsesObject } from 'zod-openapi'
import { CeleryCall } from '../../celery/celery-call.ts'
import { ScheduleEntry } from '../../core/schedule-entry.ts'
import { CONVENIENCE_ROUTES } from '../routes/convenience-routes.ts'
import { ErrorBody, TaskId } from '../schemas/common.ts'
import { EnqueueBody, Enqueued, EnqueuedBatch, OptionHeaders } from '../schemas/enqueue.ts'
import { EventsQuery } from '../schemas/events.ts'
import { ScheduleList, ScheduleNameParam, SchedulePatch, ScheduleViewBody } from '../schemas/schedules.ts'
import { QueuesView, StatusView, WorkersView } from '../schemas/system.ts'
import { RevokeQuery, TaskDetail, TaskListQuery, TaskPage, TaskStatus } from '../schemas/tasks.ts'
import { WorkflowBody, WorkflowStarted, WorkflowViewBody } from '../schemas/workflows.ts'

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } })
const error = (description: string) => ({ description, ...json(ErrorBody) })

/** The answers every authenticated route may give besides its own. */
const COMMON: ZodOpenApiResponsesObject = {
  '400': error('bad input: invalid_json, validation (with fields), unsafe_integer, invalid_unicode'),
  '401': error('no or wrong bearer token'),
  '403': error('the token lacks the scope'),
  '429': error('rate limited; see Retry-After'),
}
const ok = (description: string, schema: z.ZodType, extra: ZodOpenApiResponsesObject = {}) => ({
  responses: { '200': { description, ...json(schema) }, ...COMMON, ...extra },
})
const idParam = { path: z.object({ id: TaskId }) }
const enqueueAnswers = {
  '202': { description: 'enqueued', ...json(Enqueued) },
  '200': { description: 'an Idempotency-Key matched: the earlier task', ...json(Enqueued) },
  '404': error('unknown_task, with did_you_mean and the registered names'),
  '413': error('body over the limit'),
  '415': error('body is not application/json'),
  ...COMMON,
}

/** The Celery-compatible routes, each enqueueing one built-in task (its body is the input). */
const convenience: ZodOpenApiPathsObject = Object.fromEntries(
  Object.entries(CONVENIENCE_ROUTES).map(([path, { task, aliases }]) => [
    `/api/v1${path}`,
    {
      post: {
        summary: `Enqueue ${task}: the body is its input, options come in headers`,
        description: aliases
          ? `Also accepts ${Object.entries(aliases)
              .map(([theirs, ours]) => `${theirs} for ${ours}`)
              .join(', ')}.`
          : undefined,
        requestParams: { header: OptionHeaders },
        requestBody: json(z.unknown()),
        responses: enqueueAnswers,
      },
    },
  ]),
)

/** Every route but the per-task ones, described with the same zod schemas the routes validate with. */
export const API_PATHS: ZodOpenApiPathsObject = {
  '/api/v1/tasks': {
    post: {
      summary: 'Enqueue one task (envelope) or a batch, stored atomically',
      requestBody: json(EnqueueBody),
      responses: {
        ...enqueueAnswers,
        '202': { description: 'enqueued', ...json(z.union([Enqueued, EnqueuedBatch])) },
      },
    },
    get: {
      summary: 'Task history, newest first',
      requestParams: { query: TaskListQuery },
      ...ok('a page', TaskPage),
    },
  },
  '/api/v1/tasks/{name}': {
    post: {
      summary: 'Enqueue a task by name: the body is its input, options come in headers',
      requestParams: { path: z.object({ name: z.string() }), header: OptionHeaders },
      requestBody: json(z.unknown()),
      responses: enqueueAnswers,
    },
  },
  ...convenience,
  '/api/v1/celery/tasks/{name}': {
    post: {
      summary: 'Send a task to Python Celery workers (protocol 2 on the Redis broker)',
      description:
        "The body is the call: args, kwargs, queue (default celery), countdown and expires in ms, eta, and Celery's own priority number (kombu serves 0 first on Redis). GET /api/v1/tasks/status/{id} reads the result the Python worker writes.",
      requestParams: { path: z.object({ name: z.string() }) },
      requestBody: json(CeleryCall),
      responses: {
        '202': { description: 'sent', ...json(Enqueued) },
        '409': error('celery_unavailable: the broker URL is not Redis'),
        '413': error('body over the limit'),
        '415': error('body is not application/json'),
        ...COMMON,
      },
    },
  },
  '/api/v1/tasks/status/{id}': {
    get: { summary: 'Celery-style status', requestParams: idParam, ...ok('status', TaskStatus) },
  },
  '/api/v1/tasks/{id}': {
    get: {
      summary: 'Full detail with state history',
      requestParams: idParam,
      ...ok('the task', TaskDetail, { '404': error('unknown or expired') }),
    },
  },
  '/api/v1/tasks/revoke/{id}': {
    delete: {
      summary: 'Revoke a task',
      requestParams: { ...idParam, query: RevokeQuery },
      responses: { '202': { description: 'revoked' }, ...COMMON },
    },
  },
  '/api/v1/tasks/{id}/revoke': {
    post: {
      summary: 'Revoke a task',
      requestParams: { ...idParam, query: RevokeQuery },
      responses: { '202': { description: 'revoked' }, ...COMMON },
    },
  },
  '/api/v1/tasks/{id}/retry': {
    post: {
      summary: 'Requeue a failed or dead task (admin)',
      requestParams: idParam,
      responses: {
        '202': { description: 'requeued' },
        '404': error('unknown'),
        '409': error('not failed'),
        ...COMMON,
      },
    },
  },
  '/api/v1/workers': { get: { summary: 'Online workers and their stats', ...ok('workers', WorkersView) } },
  '/api/v1/tasks/workers': {
    get: {
      summary: 'The same as /api/v1/workers, where Django setups serve it',
      ...ok('workers', WorkersView),
    },
  },
  '/api/v1/queues': { get: { summary: 'Counts per queue', ...ok('queues', QueuesView) } },
  '/api/v1/status': {
    get: {
      summary: 'healthy, degraded or down',
      ...ok('status', StatusView, { '503': { description: 'down', ...json(StatusView) } }),
    },
  },
  '/api/v1/health_check': { post: { summary: 'Run the health-check task', responses: enqueueAnswers } },
  '/api/v1/events': {
    get: {
      summary: 'Server-Sent Events; resume with Last-Event-ID',
      requestParams: { query: EventsQuery },
      responses: {
        '200': { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...COMMON,
      },
    },
  },
  '/api/v1/config': {
    get: {
      summary: 'The effective configuration, secrets redacted (admin)',
      ...ok('config', z.record(z.string(), z.unknown())),
    },
  },
  '/api/v1/files/{id}': {
    get: {
      summary: 'Download an export.csv or report.generate result by the id its result carries',
      requestParams: { path: z.object({ id: z.string() }) },
      responses: {
        '200': { description: 'the file, as an attachment (text/csv or text/html)' },
        '404': error('unknown id, or cleaned up'),
        ...COMMON,
      },
    },
  },
  '/api/v1/openapi.json': {
    get: {
      summary: 'This document',
      responses: {
        '200': { description: 'OpenAPI 3.1', ...json(z.record(z.string(), z.unknown())) },
        ...COMMON,
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics',
      responses: { '200': { description: 'text format', content: { 'text/plain': { schema: z.string() } } } },
    },
  },
  '/healthz': {
    get: { summary: 'Liveness (never touches the broker)', responses: { '200': { description: 'up' } } },
  },
  '/readyz': {
    get: {
      summary: 'Readiness (broker reachable and writable)',
      responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } },
    },
  },
  '/api/v1/schedules': {
    get: { summary: "Beat's schedule entries with next fire times", ...ok('entries', ScheduleList) },
    post: {
      summary: 'Add an entry (admin); takes effect at its first fire time',
      requestBody: json(ScheduleEntry),
      responses: {
        '201': { description: 'created', ...json(ScheduleViewBody) },
        '409': error('an entry with that name exists'),
        ...COMMON,
      },
    },
  },
  '/api/v1/schedules/{name}': {
    get: {
      summary: 'One entry',
      requestParams: { path: ScheduleNameParam },
      ...ok('entry', ScheduleViewBody),
    },
    patch: {
      summary: 'Change an entry (admin); a new timing takes effect at the next fire',
      requestParams: { path: ScheduleNameParam },
      requestBody: json(SchedulePatch),
      ...ok('entry', ScheduleViewBody, { '404': error('no such entry') }),
    },
    delete: {
      summary: 'Delete an entry (admin)',
      requestParams: { path: ScheduleNameParam },
      responses: { '204': { description: 'deleted' }, '404': error('no such entry'), ...COMMON },
    },
  },
  '/api/v1/schedules/{name}/run': {
    post: {
      summary: "Enqueue the entry's task now (admin)",
      requestParams: { path: ScheduleNameParam },
      responses: { '202': { description: 'enqueued', ...json(z.object({ task_id: TaskId })) }, ...COMMON },
    },
  },
  '/api/v1/workflows': {
    post: {
      summary: 'Start a workflow (chain, group, chord); every member gets its task id now',
      requestBody: json(WorkflowBody),
      responses: {
        '202': { description: 'started', ...json(WorkflowStarted) },
        '404': error('a member names an unknown task'),
        ...COMMON,
      },
    },
  },
  '/api/v1/workflows/{id}': {
    get: {
      summary: "A workflow's tree with each member's state, and its result once it succeeded",
      requestParams: idParam,
      ...ok('workflow', WorkflowViewBody, { '404': error('unknown or expired workflow') }),
    },
  },
  '/api/v1/workflows/{id}/revoke': {
    post: {
      summary: 'Revoke every member, those not yet enqueued too',
      requestParams: idParam,
      responses: { '202': { description: 'revoked' }, '404': error('unknown workflow'), ...COMMON },
    },
  },
  '/api/v1/workflows/{id}/retry': {
    post: {
      summary: 'Requeue its failed members (admin): a failed chain resumes from there',
      requestParams: idParam,
      responses: { '202': { description: 'requeued' }, '404': error('unknown workflow'), ...COMMON },
    },
  },
}
