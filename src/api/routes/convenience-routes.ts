import type { ExportSources } from '../../config/export-sources.ts'
import { ValidationError } from '../../core/errors.ts'

/** One route of the Celery setups we replace: the task it enqueues and the field names they send. */
export interface ConvenienceRoute {
  task: string
  /** Their field name -> ours, accepted on this route only (documented in the README). */
  aliases?: Readonly<Record<string, string>>
}

/**
 * Routes the Celery setups we replace expose, and the built-in task each one enqueues (its body is
 * that task's input, in our names or theirs). Until a task exists, its route answers 404 unknown_task.
 */
export const CONVENIENCE_ROUTES: Readonly<Record<string, ConvenienceRoute>> = {
  '/tasks/email/send': { task: 'email.send', aliases: { recipient_email: 'to', template_name: 'template' } },
  '/tasks/email/bulk': {
    task: 'email.bulk',
    aliases: { recipient_emails: 'recipients', template_name: 'template' },
  },
  '/tasks/image/process': { task: 'image.process' },
  '/tasks/export': { task: 'export.csv', aliases: { model_name: 'table' } },
  '/tasks/report': { task: 'report.generate' },
}

/** What POST /api/v1/health_check runs. */
export const HEALTH_CHECK_TASK = 'system.health_check'

/**
 * A body in their names as one in ours: each alias renamed (giving both spellings is a 400 naming
 * them), and an export's `model_name` without a `source` given the one configured source that has
 * that table. Anything that is not a plain object is left for the task's schema to refuse.
 */
export function fromAliases(route: ConvenienceRoute, body: unknown, sources: ExportSources): unknown {
  if (!route.aliases || typeof body !== 'object' || body === null || Array.isArray(body)) return body
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) }
  for (const [theirs, ours] of Object.entries(route.aliases)) {
    if (!Object.hasOwn(out, theirs)) continue
    if (Object.hasOwn(out, ours)) {
      throw new ValidationError('request body', [
        { path: theirs, message: `give '${theirs}' or '${ours}', not both` },
      ])
    }
    out[ours] = out[theirs]
    delete out[theirs]
    if (theirs === 'model_name' && !Object.hasOwn(out, 'source'))
      out.source = sourceWithTable(out.table, sources)
  }
  return out
}

function sourceWithTable(table: unknown, sources: ExportSources): string {
  const having = Object.entries(sources)
    .filter(([, source]) => typeof table === 'string' && Object.hasOwn(source.tables, table))
    .map(([name]) => name)
  if (having.length === 1) return having[0] as string
  const message =
    having.length === 0
      ? `no configured export source has a table '${String(table)}' (CELERIAC_EXPORT_SOURCES)`
      : `tables named '${String(table)}' are in sources ${having.join(', ')}: give 'source' too`
  throw new ValidationError('request body', [{ path: 'model_name', message }])
}
