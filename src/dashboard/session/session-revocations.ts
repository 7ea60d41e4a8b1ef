import type { ScheduleStore } from '../../brokers/broker.ts'
import type { Clock } from '../../core/clock.ts'
import type { Session } from './session-codec.ts'

/** The lease token that marks a session as ended. */
const ENDED = 'ended'

function leaseName(session: Session): string {
  return `dashboard-session-ended:${session.id}`
}

/** Ended dashboard sessions, kept in the broker so every api process on it refuses their cookies. */
export interface SessionRevocations {
  /** Marks the session ended until its own expiry (after which its cookie is refused anyway). */
  revoke(session: Session): Promise<void>
  isRevoked(session: Session): Promise<boolean>
}

/**
 * Session cookies are signed, not stored, so logging out cannot delete anything: instead the
 * session id is marked ended with the broker's named leases (every engine has them, for beat's
 * leader lock). The mark is a lease held by `ended` until the session expires; the check on each
 * request only reads who holds it.
 */
export function createSessionRevocations(store: ScheduleStore, clock: Clock): SessionRevocations {
  return {
    async revoke(session) {
      const ttlMs = Math.max(1, session.expiresAt - clock.now())
      await store.acquireLock(leaseName(session), ENDED, ttlMs)
    },
    async isRevoked(session) {
      return (await store.lockHolder(leaseName(session))) === ENDED
    },
  }
}
