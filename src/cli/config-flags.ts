import { type ConfigKey, FIELDS } from '../config/config-schema.ts'
import type { FieldSpec } from '../config/define-field.ts'
import type { FlagSpecs } from './parse-flags.ts'

/** A field's default as `--help` shows it: its own text, else the value (ms given in the flag's unit). */
function defaultOf(spec: FieldSpec): string | null {
  if (spec.defaultText !== undefined) return spec.defaultText
  const value = spec.default
  if (value === null || value === false || value === '') return null
  if (Array.isArray(value)) return value.join(',')
  return String(value)
}

/**
 * The command-line flags of these config fields, with their help derived from the declaration:
 * `--queues A,B  queues to consume, in order (env CELERIAC_QUEUES; default default)`.
 */
export function configFlags(...keys: ConfigKey[]): FlagSpecs {
  const specs: Record<string, FlagSpecs[string]> = {}
  for (const key of keys) {
    const spec = FIELDS[key] as FieldSpec
    const flag = spec.flag
    if (!flag) throw new Error(`config field '${key}' has no flag`)
    const shown = defaultOf(spec)
    const where = [`env ${spec.env}`, ...(shown === null ? [] : [`default ${shown}`])].join('; ')
    specs[flag.name] = {
      type: spec.kind === 'bool' && flag.kind === undefined ? 'boolean' : 'string',
      ...(flag.short ? { short: flag.short } : {}),
      ...(flag.value ? { value: flag.value } : {}),
      description: `${spec.help} (${where})`,
    }
    if (flag.alias) {
      const { short: _, ...main } = specs[flag.name] as FlagSpecs[string]
      specs[flag.alias] = { ...main, description: `same as --${flag.name}` }
    }
  }
  return specs
}
