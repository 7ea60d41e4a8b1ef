import type { Redis } from 'ioredis'
import celeryExtendLeases from '../lua/celery-extend-leases-2.lua' with { type: 'text' }
import celeryRecoverExpired from '../lua/celery-recover-expired-4.lua' with { type: 'text' }
import celeryReserve from '../lua/celery-reserve-6.lua' with { type: 'text' }
import celerySettle from '../lua/celery-settle-6.lua' with { type: 'text' }

/**
 * The Celery interop scripts. Registered without a fixed key count because celeryReserve takes
 * its fixed keys plus one per queue list, and celerySettle one per outcome; every call passes its
 * keys first.
 */
const CELERY_SCRIPTS = {
  celeryReserve,
  celerySettle,
  celeryExtendLeases,
  celeryRecoverExpired,
} as const

export type CeleryScriptName = keyof typeof CELERY_SCRIPTS
export type CeleryScriptRunner = (
  name: CeleryScriptName,
  keys: string[],
  args: (string | number)[],
) => Promise<unknown>

export function registerCeleryScripts(client: Redis): CeleryScriptRunner {
  for (const [name, lua] of Object.entries(CELERY_SCRIPTS)) client.defineCommand(`celeriac_${name}`, { lua })
  const commands = client as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>
  return (name, keys, args) => {
    const command = commands[`celeriac_${name}`] as (...args: (string | number)[]) => Promise<unknown>
    return command.call(client, keys.length, ...keys, ...args)
  }
}
