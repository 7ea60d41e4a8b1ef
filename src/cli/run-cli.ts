import { hint } from '../core/did-you-mean.ts'
import { VERSION } from '../version.ts'
import type { CliIo, Command } from './command.ts'
import { COMMANDS } from './commands.ts'
import { createContext } from './create-context.ts'
import { exitCodeFor, messageFor } from './exit-codes.ts'
import { GLOBAL_FLAGS } from './global-flags.ts'
import { commandHelp, globalHelp, usageLine } from './help.ts'
import { parseFlags } from './parse-flags.ts'
import { UsageError } from './usage-error.ts'

/** argv (without `bun main.ts`) -> the command's exit code. Prints, never throws. */
export async function runCli(input: readonly string[], io: CliIo, commands = COMMANDS): Promise<number> {
  const [name, ...rest] = hoistGlobalFlags(input)
  if (name === undefined) {
    io.err(globalHelp(commands))
    return 2
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    return showHelp(rest[0], io, commands)
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`celeriac ${VERSION}`)
    return 0
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    const names = commands.map((c) => c.name)
    const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`
    io.err(`celeriac: ${what}${hint(name, names)}; commands: ${names.join(', ')}`)
    io.err("run 'celeriac --help' for usage")
    return 2
  }
  return runCommand(command, rest, io)
}

/**
 * `celeriac --broker URL status` reads as well as `celeriac status --broker URL`: global flags
 * written before the command are moved after it, where the command's parser handles them.
 */
function hoistGlobalFlags(argv: readonly string[]): readonly string[] {
  let i = 0
  while (i < argv.length) {
    const arg = argv[i] as string
    const long = arg.startsWith('--') ? arg.slice(2).split('=')[0] : undefined
    const spec = long === undefined || long === 'help' ? undefined : GLOBAL_FLAGS[long]
    if (!spec) break
    i += spec.type === 'string' && !arg.includes('=') ? 2 : 1
  }
  if (i === 0 || i >= argv.length) return argv
  return [argv[i] as string, ...argv.slice(i + 1), ...argv.slice(0, i)]
}

async function runCommand(command: Command, argv: readonly string[], io: CliIo): Promise<number> {
  let ctx: Awaited<ReturnType<typeof createContext>> | null = null
  try {
    const args = parseFlags(argv, { ...GLOBAL_FLAGS, ...command.flags })
    if (args.flags.help === true) {
      io.out(commandHelp(command))
      return 0
    }
    ctx = await createContext(args.flags, io, { role: command.role === true })
    return await command.run(ctx.context, args)
  } catch (err) {
    io.err(`celeriac: ${messageFor(err, io.env)}`)
    if (err instanceof UsageError) io.err(usageLine(command))
    return exitCodeFor(err)
  } finally {
    await ctx?.close()
  }
}

function showHelp(topic: string | undefined, io: CliIo, commands: readonly Command[]): number {
  const command = topic === undefined ? undefined : commands.find((c) => c.name === topic)
  if (topic !== undefined && !command) {
    io.err(
      `celeriac: no help for unknown command '${topic}'; commands: ${commands.map((c) => c.name).join(', ')}`,
    )
    return 2
  }
  io.out(command ? commandHelp(command) : globalHelp(commands))
  return 0
}
