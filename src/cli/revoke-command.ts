import { booleanFlag, positionals } from './args.ts'
import type { Command } from './command.ts'

/** `celeriac revoke <id>`: durable, so a queued task never runs even after restarts. */
export const revokeCommand: Command = {
  name: 'revoke',
  summary: 'Revoke a task: a queued one never runs; a running one is stopped with --terminate.',
  args: '<id> [--terminate]',
  flags: {
    terminate: { type: 'boolean', description: 'also abort it if it is running now' },
  },
  async run(ctx, args) {
    const [id] = positionals(args, '<id>') as [string]
    const terminate = booleanFlag(args, 'terminate')
    await (await ctx.broker()).revoke(id, { terminate })
    ctx.io.out(`revoked ${id}${terminate ? ' (terminate)' : ''}`)
    return 0
  },
}
