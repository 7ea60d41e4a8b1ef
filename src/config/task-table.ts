import { z } from 'zod'
import { Priority, QueueName, RetryPolicyPatch, TimeLimit } from '../core/message.ts'
import { TaskName } from '../core/task.ts'

/** A JSON Schema for a task's input, as JSON; refused at load when zod cannot read it. */
const InputSchema = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  try {
    z.fromJSONSchema(schema)
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a JSON Schema zod can read: ${(err as Error).message}` })
  }
})

/**
 * One entry of the config's `tasks` table: a task this install knows by name without having its
 * code in the process (Celery's `send_task`). With a `url` it is an HTTP task: a worker runs it by
 * calling that URL (a JSON POST of `{id, task, attempt, input}`, signed with the webhook secret),
 * so a backend in any language keeps its task code. Without one, an api or beat accepts the name
 * and a worker that has the code (from `-A`) runs it.
 */
export const TaskTableEntry = z.strictObject({
  name: TaskName,
  queue: QueueName.optional(),
  priority: Priority.optional(),
  /** JSON Schema of the input; absent: any JSON object. */
  input: InputSchema.optional(),
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  /** Per call, in ms: no answer by then is a network error, retried. */
  timeout: z.number().int().min(100).max(600_000).default(30_000),
  /** Signed with the webhook secret (timestamp + HMAC), as http.request signs. */
  sign: z.boolean().default(true),
  retry: RetryPolicyPatch.optional(),
  timeLimit: TimeLimit.optional(),
  description: z.string().max(500).optional(),
})
export type TaskTableEntry = z.infer<typeof TaskTableEntry>

export const TaskTable = z.array(TaskTableEntry).superRefine((entries, ctx) => {
  const seen = new Set<string>()
  entries.forEach((entry, i) => {
    if (seen.has(entry.name)) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `'${entry.name}' is declared twice` })
    }
    seen.add(entry.name)
  })
})
