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

/** Where one config field can come from; `K` narrows the key to the config's own field names. */
export interface FieldSource<K extends string = string> {
  key: K
  /** The environment variable that sets it. */
  env: string
  /** The long flag that sets it, if any, and the unit that flag is given in. */
  flag?: string
  flagKind?: RawKind
  kind: RawKind
  /** What a valid value looks like, for error messages. */
  expected: string
  /** Never echoed in messages (it may hold a password or a token). */
  secret?: boolean
}
