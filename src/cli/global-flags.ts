import { configFlags } from './config-flags.ts'
import type { FlagSpecs } from './parse-flags.ts'

/** Flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpecs = {
  ...configFlags('brokerUrl', 'app', 'allowEviction', 'logLevel', 'logJson'),
  config: { type: 'string', value: 'FILE', description: 'JSON config file (env CELERIAC_CONFIG)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
}

export const JSON_FLAG: FlagSpecs = {
  json: { type: 'boolean', description: 'print JSON for scripts' },
}
