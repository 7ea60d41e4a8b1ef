import { askWorkers } from './ask-workers.ts'
import type { CommandContext } from './command.ts'

const REPLY_TIMEOUT_MS = 2_000

/**
 * `inspect conf`: each running worker's config as the worker itself holds it (flags, env and file
 * merged in that process), asked through the control channel; the worker redacts it before it
 * leaves the process.
 */
export async function inspectConf(ctx: CommandContext, json: boolean): Promise<number> {
  const question = { command: 'conf' as const, args: {}, target: null, timeoutMs: REPLY_TIMEOUT_MS }
  const replies = await askWorkers(await ctx.broker(), ctx.config, question)
  if (json) ctx.io.out(JSON.stringify(Object.fromEntries(replies.map((r) => [r.worker, r.reply]))))
  else
    for (const r of replies)
      ctx.io.out(`-> ${r.worker}\n${JSON.stringify(r.reply, null, 2).replace(/^/gm, '    ')}`)
  if (replies.length > 0) return 0
  ctx.io.err(`celeriac: no worker replied within ${REPLY_TIMEOUT_MS / 1000} s`)
  return 1
}
