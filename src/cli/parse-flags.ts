import { hint } from '../core/did-you-mean.ts'
import { UsageError } from './usage-error.ts'

export interface FlagSpec {
  type: 'string' | 'boolean'
  /** One letter: `-Q` for `--queues`. */
  short?: string
  /** Placeholder for the value in help: `--grace SECONDS`. */
  value?: string
  description: string
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>

export interface ParsedArgs {
  /** By long name; a string flag given twice keeps the last value. */
  flags: Record<string, string | boolean>
  positionals: string[]
}

/**
 * Strict flag parsing: `--name value`, `--name=value`, `-Q value`, `-Qvalue`, `--` to end flags.
 * Anything not in `specs` is a UsageError with the closest known flag as a hint.
 */
export function parseFlags(argv: readonly string[], specs: FlagSpecs): ParsedArgs {
  const parsed: ParsedArgs = { flags: {}, positionals: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1))
      break
    }
    if (arg.startsWith('--')) i = takeLong(argv, i, specs, parsed)
    else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) i = takeShort(argv, i, specs, parsed)
    else parsed.positionals.push(arg)
  }
  return parsed
}

function takeLong(argv: readonly string[], i: number, specs: FlagSpecs, parsed: ParsedArgs): number {
  const arg = argv[i] as string
  const eq = arg.indexOf('=')
  const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
  const spec = specs[name]
  if (!spec) {
    const known = Object.keys(specs).map((n) => `--${n}`)
    throw new UsageError(`unknown flag '--${name}'${hint(`--${name}`, known)}`)
  }
  const inline = eq === -1 ? undefined : arg.slice(eq + 1)
  if (spec.type === 'boolean') {
    parsed.flags[name] = inline === undefined ? true : booleanValue(name, inline)
    return i
  }
  if (inline !== undefined) {
    parsed.flags[name] = inline
    return i
  }
  parsed.flags[name] = valueAfter(argv, i, `--${name}`)
  return i + 1
}

function takeShort(argv: readonly string[], i: number, specs: FlagSpecs, parsed: ParsedArgs): number {
  const arg = argv[i] as string
  const letter = arg[1] as string
  const entry = Object.entries(specs).find(([, s]) => s.short === letter)
  if (!entry) throw new UsageError(`unknown flag '-${letter}'`)
  const [name, spec] = entry
  const rest = arg.slice(2)
  if (spec.type === 'boolean') {
    if (rest !== '') throw new UsageError(`-${letter} takes no value (got '${arg}')`)
    parsed.flags[name] = true
    return i
  }
  if (rest !== '') {
    parsed.flags[name] = rest.startsWith('=') ? rest.slice(1) : rest
    return i
  }
  parsed.flags[name] = valueAfter(argv, i, `-${letter}`)
  return i + 1
}

function valueAfter(argv: readonly string[], i: number, flag: string): string {
  const next = argv[i + 1]
  if (next === undefined) throw new UsageError(`${flag} needs a value`)
  return next
}

function booleanValue(name: string, text: string): boolean {
  if (text === 'true') return true
  if (text === 'false') return false
  throw new UsageError(`--${name} is a switch: give it alone, or =true / =false (got '${text}')`)
}
