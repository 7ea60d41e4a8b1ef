import type { z } from 'zod'

/** How a string from the environment or a flag becomes a typed value. */
export type RawKind =
  | 'string'
  | 'int'
  | 'bool'
  | 'list'
  | 'seconds'
  | 'nullable-int'
  | 'nullable-string'
  | 'json'

/** A command-line flag that sets a config field. */
export interface FieldFlag {
  /** The long name: `--grace`. */
  name: string
  /** One letter: `-Q`. */
  short?: string
  /** A second long name, as Celery spells it: `--loglevel` for `--log-level`. */
  alias?: string
  /** Placeholder in help: `--grace SECONDS`. */
  value?: string
  /** The flag's unit when it differs from the field's (seconds on the command line, ms stored). */
  kind?: RawKind
}

/**
 * Everything about one config field, declared once: its schema, default, environment variable,
 * flag, help, and how a string becomes its value. The Config schema and type, the defaults, the
 * loader's lookups, `--help` and the README's table check are all derived from these.
 */
export interface FieldSpec<S extends z.ZodType = z.ZodType> {
  schema: S
  default: z.output<S>
  env: string
  kind: RawKind
  flag?: FieldFlag
  /** One line for `--help` and the README. */
  help: string
  /** What a valid value looks like, for error messages. */
  expected: string
  /** The default as `--help` shows it, when the value itself does not say it well. */
  defaultText?: string
  /** Never echoed in messages or help defaults (it may hold a password or a token). */
  secret?: boolean
}

/** Declares a field; a function only so each declaration is checked against its own schema. */
export function field<S extends z.ZodType>(spec: FieldSpec<S>): FieldSpec<S> {
  return spec
}
