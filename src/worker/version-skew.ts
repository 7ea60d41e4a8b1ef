import type { Lease, Settlement } from '../brokers/broker.ts'
import { PROTOCOL_VERSION } from '../core/message.ts'

/** True for a message written by a newer producer than this worker understands (fault G5). */
export function isFromNewerProtocol(lease: Lease): boolean {
  return typeof lease.message.v === 'number' && lease.message.v > PROTOCOL_VERSION
}

/**
 * Puts a too-new message back for later instead of failing it: during a rolling deploy a newer
 * worker will soon be there to run it. `release` has no delay, so old workers would spin on the
 * message; a `retry` with a later `at` parks it. The price: it counts one retry (and one attempt)
 * per bounce, and the state reads RETRY with a VERSION_SKEW error that says why.
 */
export function versionSkewSettlement(lease: Lease, now: number, delayMs: number): Settlement {
  const message = `message protocol v${lease.message.v} is newer than this worker's v${PROTOCOL_VERSION}; left for a newer worker`
  return {
    kind: 'retry',
    lease,
    at: now + delayMs,
    error: { type: 'VersionSkew', message, stack: null, code: 'VERSION_SKEW' },
  }
}
