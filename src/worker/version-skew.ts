import type { Lease, Settlement } from '../brokers/broker.ts'
import { PROTOCOL_VERSION } from '../core/message.ts'

/** True for a message written by a newer producer than this worker understands (mid rolling upgrade). */
export function isFromNewerProtocol(lease: Lease): boolean {
  return typeof lease.message.v === 'number' && lease.message.v > PROTOCOL_VERSION
}

/**
 * Puts a too-new message back for later instead of failing it: during a rolling deploy a newer
 * worker will soon be there to run it. The delay keeps old workers from spinning on it, and a
 * release counts neither an attempt nor a retry.
 */
export function versionSkewSettlement(lease: Lease, now: number, delayMs: number): Settlement {
  return { kind: 'release', lease, started: false, at: now + delayMs }
}
