import { z } from 'zod'
import { Priority, QueueName, RetryPolicyPatch, TimeLimit } from '../core/message.ts'
import { TaskName } from '../core/task.ts'

type JsonObject = Record<string, unknown>

/**
 * JSON Schema's `required` holds for a key the schema gives no `properties` entry; zod's reader
 * enforces only listed properties, so such keys are listed as "any value" first (recursively).
 */
function listRequired(schema: JsonObject): JsonObject {
  const properties = { ...((schema.properties as JsonObject | undefined) ?? {}) }
  for (const [key, value] of Object.entries(properties)) {
    if (value && typeof value === 'object' && !Array.isArray(value))
      properties[key] = listRequired(value as JsonObject)
  }
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : []
  for (const key of required) if (typeof key === 'string' && !(key in properties)) properties[key] = {}
  return Object.keys(properties).length > 0 ? { ...schema, properties } : schema
}

/** The zod schema a task's JSON Schema input stands for. */
export function inputSchemaOf(schema: JsonObject): z.ZodType {
  return z.fromJSONSchema(listRequired(schema))
}

/** A JSON Schema for a task's input, as JSON; refused at load when zod cannot read it. */
const InputSchema = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  try {
    inputSchemaOf(schema)
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
