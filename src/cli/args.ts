import type { ParsedArgs } from './parse-flags.ts'
import { UsageError } from './usage-error.ts'

/** A string flag's value, if given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name]
  return typeof value === 'string' ? value : undefined
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true
}

/** An integer flag within bounds, or a UsageError naming the flag and what it got. */
export function intFlag(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const raw = stringFlag(args, name)
  if (raw === undefined) return undefined
  const value = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got '${raw}'`)
  }
  return value
}

/** A duration flag given in (possibly fractional) seconds, as ms. */
export function secondsFlag(args: ParsedArgs, name: string, maxSeconds: number): number | undefined {
  const raw = stringFlag(args, name)
  if (raw === undefined) return undefined
  const value = /^(\d+\.?\d*|\.\d+)$/.test(raw.trim()) ? Number(raw) : Number.NaN
  if (!(value >= 0 && value <= maxSeconds)) {
    throw new UsageError(`--${name}: expected a number of seconds from 0 to ${maxSeconds}, got '${raw}'`)
  }
  return Math.round(value * 1000)
}

/** Exactly the positionals named (`<id>`), no more, no fewer. */
export function positionals(args: ParsedArgs, ...names: string[]): string[] {
  const given = args.positionals
  if (given.length < names.length) throw new UsageError(`missing ${names.slice(given.length).join(' ')}`)
  if (given.length > names.length) {
    throw new UsageError(`unexpected argument '${given[names.length]}'`)
  }
  return given
}

/** A sub-action (`inspect active`), checked against the ones that exist. */
export function action<A extends string>(
  args: ParsedArgs,
  choices: readonly A[],
  rest: string[] = [],
): [A, ...string[]] {
  if (args.positionals.length === 0) throw new UsageError(`missing action: one of ${choices.join(', ')}`)
  const [first, ...others] = positionals(args, '<action>', ...rest)
  if (!(choices as readonly string[]).includes(first as string)) {
    throw new UsageError(`unknown action '${first}'; expected one of: ${choices.join(', ')}`)
  }
  return [first as A, ...others]
}
