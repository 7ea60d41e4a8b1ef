import type { FlagSpecs } from './parse-flags.ts'

/** Flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpecs = {
  broker: {
    type: 'string',
    value: 'URL',
    description: 'broker URL (env CELERIAC_BROKER_URL; default sqlite://./data/celeriac.db)',
  },
  config: { type: 'string', value: 'FILE', description: 'JSON config file (env CELERIAC_CONFIG)' },
  'allow-eviction': {
    type: 'boolean',
    description: 'start on a Redis whose maxmemory-policy may evict tasks (env CELERIAC_ALLOW_EVICTION)',
  },
  'log-level': {
    type: 'string',
    value: 'LEVEL',
    description: 'debug, info, warn or error (env CELERIAC_LOG_LEVEL)',
  },
  'log-json': { type: 'boolean', description: 'log one JSON object per line (env CELERIAC_LOG_JSON)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
}

export const JSON_FLAG: FlagSpecs = {
  json: { type: 'boolean', description: 'print JSON for scripts' },
}
