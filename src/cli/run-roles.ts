import type { Logger } from '../core/logger.ts'
import type { Role } from './role.ts'
import { onStopSignals } from './stop-signals.ts'

/** Exit code when an operator sends a second stop signal: leases are recovered after they expire. */
const FORCED_EXIT = 130

/**
 * Starts roles in order and runs until a stop signal or until one role ends by itself; then
 * stops every role (last started, first stopped) and returns the first non-zero exit code.
 */
export async function runRoles(roles: readonly Role[], log: Logger): Promise<number> {
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
      ...started.map((r) => r.done.then((code) => ({ role: r, code }))),
    ])
    if (first !== 'signal')
      log.info(`${first.role.name} ended by itself (exit ${first.code}): stopping the others`)
    const codes: number[] = first === 'signal' ? [] : [first.code]
    codes.push(...(await stopAll(started)))
    return codes.find((code) => code !== 0) ?? 0
  } finally {
    dispose()
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
