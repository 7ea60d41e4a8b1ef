import { z } from 'zod'
import { openEnvelope } from './kombu-envelope.ts'

/**
 * A remote-control command Python broadcasts (`celery control revoke`, `app.control.ping()`):
 * kombu's pidbox message body (kombu/pidbox.py Mailbox._publish).
 */
const PidboxBody = z.looseObject({
  method: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).nullable().default({}),
  destination: z.array(z.string()).nullable().optional(),
  ticket: z.string().nullable().optional(),
  reply_to: z.looseObject({ exchange: z.string(), routing_key: z.string() }).nullable().optional(),
})
export type PidboxCommand = z.infer<typeof PidboxBody>

/** Opens a message published on the pidbox channel; null for anything that is not a command. */
export function parsePidboxCommand(raw: string): PidboxCommand | null {
  const opened = openEnvelope(raw)
  if (!opened.ok) return null
  try {
    const parsed = PidboxBody.safeParse(JSON.parse(opened.body))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** Whether a command is meant for `node`: every node when it names no destination. */
export function isForNode(command: PidboxCommand, node: string): boolean {
  return !command.destination || command.destination.includes(node)
}

/** The ids and mode of a `revoke` (celery/worker/control.py: task_id is one id or a list). */
export function revokeOf(command: PidboxCommand): { ids: string[]; terminate: boolean } | null {
  if (command.method !== 'revoke') return null
  const args = command.arguments ?? {}
  const raw = args.task_id
  const ids = (Array.isArray(raw) ? raw : [raw]).filter((id): id is string => typeof id === 'string')
  return ids.length === 0 ? null : { ids, terminate: args.terminate === true }
}
