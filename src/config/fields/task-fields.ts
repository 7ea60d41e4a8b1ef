import { z } from 'zod'
import { field } from '../define-field.ts'
import { TaskAnnotations, TaskRoutes } from '../task-routing.ts'
import { TaskTable } from '../task-table.ts'

/** The user's own tasks, and Celery's task settings over every task. */
export const TASK_FIELDS = {
  app: field({
    schema: z.array(z.string().min(1).max(4_096)),
    default: [],
    env: 'CELERIAC_APP',
    kind: 'list',
    flag: { name: 'app', short: 'A', value: 'FILE' },
    help: "your task modules (.ts/.js files or folders, comma-separated): `import … from 'celeriac'` needs no install",
    defaultText: 'none',
    expected: 'a comma-separated list of .ts or .js files or folders',
  }),
  tasks: field({
    schema: TaskTable,
    default: [],
    env: 'CELERIAC_TASKS',
    kind: 'json',
    help: 'tasks known by name without their code: {name, queue?, input? (JSON Schema)}; with url: HTTP tasks',
    defaultText: 'none',
    expected:
      'a JSON array of {name, queue?, priority?, input?, url?, method?, timeout?, sign?, retry?, timeLimit?}',
  }),
  routes: field({
    schema: TaskRoutes,
    default: {},
    env: 'CELERIAC_ROUTES',
    kind: 'json',
    help: 'Celery\'s task_routes: task name pattern -> queue, first match wins ({"email.*": "emails"})',
    defaultText: 'none',
    expected: 'a JSON object of task name patterns to queue names',
  }),
  annotations: field({
    schema: TaskAnnotations,
    default: {},
    env: 'CELERIAC_ANNOTATIONS',
    kind: 'json',
    help: "Celery's task_annotations: pattern -> {queue, priority, retry, timeLimit, rateLimit, expires, ignoreResult, resultExpires, concurrency, keyRateLimit}",
    defaultText: 'none',
    expected: 'a JSON object of task name patterns to task settings',
  }),
  trackStarted: field({
    schema: z.boolean(),
    default: false,
    env: 'CELERIAC_TRACK_STARTED',
    kind: 'bool',
    flag: { name: 'track-started' },
    help: "Celery's task_track_started: record STARTED when a task starts (one more write per task)",
    expected: 'true or false',
  }),
}
