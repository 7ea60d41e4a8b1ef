import { z } from 'zod'
import { field } from '../define-field.ts'

/** How every process logs. */
export const LOG_FIELDS = {
  logLevel: field({
    schema: z.enum(['debug', 'info', 'warn', 'error']),
    default: 'info',
    env: 'CELERIAC_LOG_LEVEL',
    kind: 'string',
    flag: { name: 'log-level', short: 'l', alias: 'loglevel', value: 'LEVEL' },
    help: 'debug, info, warn or error (a worker logs a line per finished task at info)',
    expected: 'one of debug, info, warn, error',
  }),
  logJson: field({
    schema: z.boolean(),
    default: false,
    env: 'CELERIAC_LOG_JSON',
    kind: 'bool',
    flag: { name: 'log-json' },
    help: 'log one JSON object per line',
    expected: 'true or false',
  }),
}
