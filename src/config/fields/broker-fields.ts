import { z } from 'zod'
import { field } from '../define-field.ts'

const HOUR_MS = 3_600_000

/** Where tasks live and how the engine treats them. */
export const BROKER_FIELDS = {
  brokerUrl: field({
    schema: z.string().min(1),
    default: 'sqlite://./data/celeriac.db',
    env: 'CELERIAC_BROKER_URL',
    kind: 'string',
    flag: { name: 'broker', value: 'URL' },
    help: 'broker URL: sqlite://path, redis://, rediss://, redis+cluster://, upstash:// (may hold a password)',
    expected: 'a broker URL',
  }),
  sqliteSync: field({
    schema: z.enum(['full', 'normal']),
    default: 'full',
    env: 'CELERIAC_SQLITE_SYNC',
    kind: 'string',
    help: 'SQLite durability: full survives power loss, normal only process crashes (and is faster)',
    expected: 'full or normal',
  }),
  allowEviction: field({
    schema: z.boolean(),
    default: false,
    env: 'CELERIAC_ALLOW_EVICTION',
    kind: 'bool',
    flag: { name: 'allow-eviction' },
    help: 'start on a Redis whose maxmemory-policy may evict tasks (a loud warning instead of a refusal)',
    expected: 'true or false',
  }),
  resultTtlMs: field({
    schema: z.number().int().min(1_000),
    default: 24 * HOUR_MS,
    env: 'CELERIAC_RESULT_TTL_MS',
    kind: 'int',
    help: "how long a finished task's result is kept, in ms",
    expected: 'milliseconds, at least 1000',
  }),
  upstashToken: field({
    schema: z.string().min(1).nullable(),
    default: null,
    env: 'CELERIAC_UPSTASH_TOKEN',
    kind: 'nullable-string',
    help: 'Upstash REST token, when the upstash:// URL carries none',
    expected: 'an Upstash REST token',
    secret: true,
  }),
  upstashIdlePollMs: field({
    schema: z.number().int().min(1).max(HOUR_MS).nullable(),
    default: null,
    env: 'CELERIAC_UPSTASH_IDLE_POLL_MS',
    kind: 'nullable-int',
    help: "Upstash: an idle worker's longest sleep between polls, in ms (unless the URL sets idlePollMs)",
    defaultText: '1000',
    expected: 'milliseconds, 1 to 3600000',
  }),
}
