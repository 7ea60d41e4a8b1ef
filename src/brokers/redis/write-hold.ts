import type { Socket } from 'node:net'
import type { Redis } from 'ioredis'

/** Holds a connection's writes until released, so several commands leave in one socket write. */
export interface WriteHold {
  hold(): void
  release(): void
}

/**
 * Holds an ioredis connection's writes so several commands leave in one socket write. ioredis
 * writes each command to its socket at once, and the socket sends each write as a syscall of its
 * own, which the server reads as an event of its own: at concurrency 1 a task's outcome, its
 * events and the next claim were two or three reads on the server per task. Corking the socket
 * buffers the writes until `release`, or the end of this turn at the latest.
 */
export function writeHold(client: Redis): WriteHold {
  let held: Socket | null = null
  const release = (): void => {
    const stream = held
    held = null
    stream?.uncork()
  }
  return {
    hold(): void {
      // A connection not ready queues commands itself, with no socket to hold.
      if (held !== null || client.status !== 'ready') return
      held = client.stream as Socket
      held.cork()
      setImmediate(release)
    },
    release,
  }
}
