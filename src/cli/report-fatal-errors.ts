import type { CliIo } from './command.ts'
import { messageFor } from './exit-codes.ts'

/**
 * Last line of defence for errors thrown outside a command's await chain (a timer, a stream):
 * one `celeriac:` line and exit 1, never a raw stack. Unfinished tasks are not lost: their leases
 * expire and another worker picks them up.
 */
export function reportFatalErrors(io: CliIo): void {
  const fatal = (err: unknown) => {
    io.err(`celeriac: fatal: ${messageFor(err, io.env)}`)
    process.exit(1)
  }
  process.on('uncaughtException', fatal)
  process.on('unhandledRejection', fatal)
}
