import type { CommandContext } from './command.ts'
import { formatTable } from './format-table.ts'

const REVOKED_LIMIT = 1_000

/**
 * `inspect revoked`: the revocations the broker remembers. Celery asks each worker for its
 * in-memory set; here revocations live in the broker, shared by every worker, so one read answers
 * for all of them (and also lists ids revoked before any worker saw the task).
 */
export async function inspectRevoked(ctx: CommandContext, json: boolean): Promise<number> {
  const revoked = await (await ctx.broker()).listRevoked(REVOKED_LIMIT)
  if (json) ctx.io.out(JSON.stringify(revoked))
  else if (revoked.length === 0) ctx.io.out('no revoked tasks remembered')
  else
    ctx.io.out(
      formatTable(
        ['ID', 'REVOKED AT'],
        revoked.map((r) => [r.id, new Date(r.at).toISOString()]),
      ),
    )
  return 0
}
