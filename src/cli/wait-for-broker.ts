import type { BrokerEngine } from '../brokers/broker.ts'
import { isBrokerUnavailable } from '../brokers/broker-unavailable.ts'
import type { Logger } from '../core/logger.ts'

export interface WaitForBrokerOptions {
  /** Opens the broker and runs its start-up checks; throws while it cannot. */
  open: () => Promise<BrokerEngine>
  /** The broker URL with its password hidden, for the log. */
  where: string
  log: Logger
  /** A stop request ends the wait (the promise rejects with the signal's reason). */
  signal: AbortSignal
  minDelayMs?: number
  maxDelayMs?: number
  /** One warning per this long while waiting, so a long outage does not flood the log. */
  logEveryMs?: number
}

/**
 * Opens the broker, retrying with backoff while it is unreachable, stalled or loading: a role
 * started during a broker outage waits for it instead of exiting (and crash-looping under a
 * supervisor). Any other refusal (bad URL, unsafe eviction policy, unusable db) is thrown at once.
 */
export async function waitForBroker(o: WaitForBrokerOptions): Promise<BrokerEngine> {
  const maxDelayMs = o.maxDelayMs ?? 5_000
  const logEveryMs = o.logEveryMs ?? 5_000
  let delay = o.minDelayMs ?? 250
  let loggedAt = Number.NEGATIVE_INFINITY
  for (let attempt = 1; ; attempt++) {
    o.signal.throwIfAborted()
    try {
      const broker = await o.open()
      if (attempt > 1) o.log.info(`broker ${o.where} answers; starting`, { attempts: attempt })
      return broker
    } catch (err) {
      if (!isBrokerUnavailable(err)) throw err
      if (Date.now() - loggedAt >= logEveryMs) {
        loggedAt = Date.now()
        const cause = err instanceof Error ? err.message : String(err)
        o.log.warn(`waiting for broker ${o.where}: not reachable yet, retrying`, { cause, attempt })
      }
    }
    await sleep(delay, o.signal)
    delay = Math.min(delay * 2, maxDelayMs)
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
