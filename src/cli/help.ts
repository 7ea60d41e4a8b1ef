import type { Command } from './command.ts'
import { GLOBAL_FLAGS } from './global-flags.ts'
import type { FlagSpecs } from './parse-flags.ts'

function flagLines(specs: FlagSpecs): string[] {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    '
    const value = spec.value ? ` ${spec.value}` : ''
    return [`  ${short}--${name}${value}`, spec.description] as const
  })
  const width = Math.max(...rows.map(([left]) => left.length)) + 2
  return rows.map(([left, right]) => left.padEnd(width) + right)
}

/** `celeriac <command> --help`. */
export function commandHelp(command: Command): string {
  const lines = [`Usage: celeriac ${command.name} ${command.args}`.trimEnd(), '', command.summary]
  if (command.details?.length) lines.push('', ...command.details)
  if (Object.keys(command.flags).length > 0) lines.push('', 'Options:', ...flagLines(command.flags))
  lines.push('', 'Global options:', ...flagLines(GLOBAL_FLAGS))
  return lines.join('\n')
}

/** `celeriac --help`: every command with its one-line summary. */
export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2
  return [
    'Usage: celeriac <command> [options]',
    '',
    "Celery's job, done as one Bun binary.",
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Global options:',
    ...flagLines({
      ...GLOBAL_FLAGS,
      version: { type: 'boolean', short: 'V', description: 'print the version' },
    }),
    '',
    "Run 'celeriac <command> --help' for a command's options.",
  ].join('\n')
}

/** The short reminder printed on stderr after a usage error. */
export function usageLine(command: Command): string {
  return `usage: celeriac ${command.name} ${command.args}\nrun 'celeriac ${command.name} --help' for options`
}
