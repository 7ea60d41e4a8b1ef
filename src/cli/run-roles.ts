import type { Logger } from '../core/logger.ts'
import type { Role } from './role.ts'
import { onStopSignals } from './stop-signals.ts'

/** Exit code when an operator sends a second stop signal: leases are recovered after they expire. */
const FORCED_EXIT = 130

/**
 * After the grace, a stop still has to send outcomes, a last heartbeat and close connections;
 * past this much more the process exits anyway, so an unreachable broker cannot hold it.
 */
export const STOP_MARGIN_MS = 3_000

export interface RunRolesOptions {
  log: Logger
  /** How long running tasks get to finish on a stop (the worker's grace). */
  graceMs: number
}

type Ended = { role: Role; code: number } | { role: Role; error: unknown }

/**
 * Starts roles in order and runs until a stop signal or until one role ends by itself; then
 * stops every role (last started, first stopped) and returns the first non-zero exit code. A stop
 * that takes longer than the grace plus STOP_MARGIN_MS is abandoned with exit code 1.
 */
export async function runRoles(roles: readonly Role[], o: RunRolesOptions): Promise<number> {
  const { log } = o
  let stopRequested!: () => void
  const stop = new Promise<'signal'>((resolve) => {
    stopRequested = () => resolve('signal')
  })
  const dispose = onStopSignals(
    (signal) => {
      log.info(`received ${signal}: stopping gracefully (send again to exit at once)`)
      stopRequested()
    },
    (signal) => {
      log.warn(
        `received ${signal} again: exiting now; unfinished tasks return to their queues when their leases expire`,
      )
      process.exit(FORCED_EXIT)
    },
  )
  try {
    const started = await startAll(roles)
    const first = await Promise.race([
      stop,
      ...started.map((role) =>
        role.done.then(
          (code): Ended => ({ role, code }),
          (error: unknown): Ended => ({ role, error }),
        ),
      ),
    ])
    if (first !== 'signal' && 'code' in first)
      log.info(`${first.role.name} ended by itself (exit ${first.code}): stopping the others`)
    const codes: number[] = first !== 'signal' && 'code' in first ? [first.code] : []
    const stopped = await within(stopAll(started), o.graceMs + STOP_MARGIN_MS)
    if (first !== 'signal' && 'error' in first) throw first.error
    if (stopped === null) {
      log.error(
        `roles did not stop within ${o.graceMs + STOP_MARGIN_MS} ms (grace + ${STOP_MARGIN_MS} ms): exiting; ` +
          'unfinished tasks return to their queues when their leases expire',
      )
      return 1
    }
    codes.push(...stopped)
    return codes.find((code) => code !== 0) ?? 0
  } finally {
    dispose()
  }
}

/** The promise's value, or null when it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Starts roles in order; if one fails, the ones already running are stopped before rethrowing. */
async function startAll(roles: readonly Role[]): Promise<Role[]> {
  const started: Role[] = []
  try {
    for (const role of roles) {
      await role.start()
      started.push(role)
    }
    return started
  } catch (err) {
    await stopAll(started)
    throw err
  }
}

async function stopAll(started: readonly Role[]): Promise<number[]> {
  const codes: number[] = []
  for (const role of [...started].reverse()) codes.push(await role.stop())
  return codes
}
