import { hint } from '../core/did-you-mean.ts'
import { brokerUrlProblem } from './broker-url.ts'
import { coerce, shown } from './coerce.ts'
import { ConfigError } from './config-error.ts'
import { CONFIG_FIELDS, Config, type ConfigKey, DEFAULT_CONFIG } from './config-schema.ts'

/** A config file as read by the caller: its text, or why it could not be read. */
export type ConfigFileInput =
  | { path: string; source: string; text: string }
  | { path: string; source: string; error: string }

export interface LoadConfigInput {
  env: Readonly<Record<string, string | undefined>>
  /** Parsed flags by long name (`broker`, `concurrency`, `grace`...); others are ignored. */
  flags: Readonly<Record<string, string | boolean | undefined>>
  file?: ConfigFileInput
}

interface Candidate {
  value: unknown
  /** What the user wrote, for messages: the string before conversion. */
  raw: unknown
  /** Where the value came from, as the user would name it: `--grace`, `CELERIAC_PORT`. */
  source: string
}

/**
 * Merges defaults < config file < CELERIAC_* env < flags into a frozen Config. Pure: reads no
 * file or global. Throws one ConfigError listing every problem, each naming its field's source.
 */
export function loadConfig(input: LoadConfigInput): Config {
  const problems: string[] = []
  const fileValues = input.file ? readFileValues(input.file, problems) : {}
  const merged: Record<string, unknown> = {}
  for (const field of CONFIG_FIELDS) {
    const candidate = pick(field, input, fileValues)
    const problem = checkField(field, candidate)
    if (problem) problems.push(`${candidate.source}: ${problem}`)
    else merged[field.key] = candidate.value
  }
  if (problems.length > 0) throw new ConfigError(problems)
  const config = Config.parse(merged)
  const frozen = <T>(list: readonly T[]) => Object.freeze([...list]) as T[]
  return Object.freeze({
    ...config,
    queues: frozen(config.queues),
    apiTokens: frozen(config.apiTokens),
    apiCorsOrigins: frozen(config.apiCorsOrigins),
    outboundAllowList: frozen(config.outboundAllowList),
  })
}

function pick(field: ConfigField, input: LoadConfigInput, file: FileValues): Candidate {
  const given =
    field.flag && [field.flag.name, field.flag.alias].find((n) => n && input.flags[n] !== undefined)
  const flag = given ? input.flags[given] : undefined
  if (flag !== undefined) {
    const value = typeof flag === 'boolean' ? flag : coerce(flag, field.flag?.kind ?? field.kind)
    return { value, raw: flag, source: `--${given}` }
  }
  const env = input.env[field.env]
  if (env !== undefined && env !== '') return { value: coerce(env, field.kind), raw: env, source: field.env }
  const fromFile = file[field.key]
  if (fromFile) return { ...fromFile, raw: fromFile.value }
  const value = DEFAULT_CONFIG[field.key]
  return { value, raw: value, source: `default ${field.key}` }
}

/**
 * The problem with a field's chosen value, or null. Broker URLs and secret fields (API tokens) are
 * never echoed: they may hold a password and messages end up in logs.
 */
function checkField(field: ConfigField, candidate: Candidate): string | null {
  const parsed = Config.shape[field.key].safeParse(candidate.value)
  if (field.key === 'brokerUrl') {
    return parsed.success ? brokerUrlProblem(parsed.data as string) : `expected ${field.expected}`
  }
  if (parsed.success) return null
  if (field.kind === 'json' && typeof candidate.value !== 'string') {
    // Structured values (schedule entries): name each wrong field, as zod sees it.
    return parsed.error.issues.map((i) => `${[field.key, ...i.path].join('.')}: ${i.message}`).join('; ')
  }
  return field.secret
    ? `expected ${field.expected}`
    : `expected ${field.expected}, got ${shown(candidate.raw)}`
}

type ConfigField = (typeof CONFIG_FIELDS)[number]

type FileValues = Partial<Record<ConfigKey, { value: unknown; source: string }>>

function readFileValues(file: ConfigFileInput, problems: string[]): FileValues {
  const label = `config file ${file.path}`
  if ('error' in file) {
    problems.push(`${file.source}: ${file.error}`)
    return {}
  }
  let data: unknown
  try {
    data = JSON.parse(file.text)
  } catch (err) {
    problems.push(`${label}: invalid JSON: ${(err as Error).message}`)
    return {}
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.push(`${label}: expected a JSON object of settings`)
    return {}
  }
  const keys = CONFIG_FIELDS.map((f) => f.key as string)
  const values: FileValues = {}
  for (const [key, value] of Object.entries(data)) {
    if (!keys.includes(key)) problems.push(`${label}: unknown setting '${key}'${hint(key, keys)}`)
    else values[key as ConfigKey] = { value, source: `${label}: ${key}` }
  }
  return values
}
