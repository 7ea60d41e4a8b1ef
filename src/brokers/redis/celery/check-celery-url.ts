import { CeleriacError } from '../../../core/errors.ts'
import { redactUrl } from '../../redact-url.ts'

/**
 * Refuses a URL kombu's Redis transport cannot share, before anything is opened. `use` says
 * what needs it (`--celery reads kombu's Redis lists`), so the message tells why.
 */
export function checkCeleryUrl(url: string, use: string): void {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase()
  if (scheme !== 'redis' && scheme !== 'rediss')
    throw new CeleriacError(
      'CONFIG',
      `celery: ${use}, so the broker URL must be redis:// or rediss:// (the Redis your Python Celery uses); got '${redactUrl(url)}'`,
    )
}

/** Whether a URL can reach Python Celery's keys (a single Redis server's database). */
export function isCeleryUrl(url: string): boolean {
  return /^rediss?:/i.test(url)
}
