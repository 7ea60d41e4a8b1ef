import type { BrokerEngine } from '../brokers/broker.ts'
import type { Logger } from '../core/logger.ts'
import { createHealthRole } from './health-role.ts'
import type { Role } from './role.ts'
import { waitForBroker } from './wait-for-broker.ts'

export interface GatedRoles {
  /** Started in order once the broker answers; stopped in reverse. */
  roles: Role[]
  /** Readiness once they run (default: ready). */
  ready?: () => boolean | Promise<boolean>
}

export interface BrokerGateOptions {
  name: string
  /** Opens the broker with its start-up checks (the command context's `broker`). */
  open: () => Promise<BrokerEngine>
  /** The broker URL with its password hidden, for the log. */
  where: string
  log: Logger
  build: (broker: BrokerEngine) => GatedRoles | Promise<GatedRoles>
  /**
   * The api's port: while waiting, a stand-in answers /healthz (alive) and /readyz (503) there,
   * so a platform's checks see a live process that is not ready yet.
   */
  standInPort?: number | null
}

/**
 * Roles that need the broker, as one Role that starts at once: it waits for the broker (see
 * waitForBroker), then builds and starts them. Not ready while waiting; a stop request ends the
 * wait at once, so SIGTERM works during an outage too.
 */
export function createBrokerGate(o: BrokerGateOptions): Role & { ready(): boolean | Promise<boolean> } {
  const stopping = new AbortController()
  const running: Role[] = []
  let ready: (() => boolean | Promise<boolean>) | null = null
  let opening: Promise<void> = Promise.resolve()
  let ended!: { resolve: (code: number) => void; reject: (err: unknown) => void }
  const done = new Promise<number>((resolve, reject) => {
    ended = { resolve, reject }
  })
  const standIn =
    o.standInPort === undefined || o.standInPort === null
      ? null
      : createHealthRole({ port: o.standInPort, ready: () => false, log: o.log, of: o.name })

  async function open(): Promise<void> {
    await standIn?.start()
    const broker = await waitForBroker({ open: o.open, where: o.where, log: o.log, signal: stopping.signal })
    await standIn?.stop()
    const built = await o.build(broker)
    for (const role of built.roles) {
      if (stopping.signal.aborted) return
      await role.start()
      running.push(role)
    }
    ready = built.ready ?? (() => true)
    void Promise.race(running.map((r) => r.done)).then(ended.resolve, ended.reject)
  }

  return {
    name: o.name,
    ready: () => (ready ? ready() : false),
    async start() {
      opening = open().catch((err: unknown) => {
        if (!stopping.signal.aborted) ended.reject(err)
      })
    },
    async stop() {
      stopping.abort(new Error(`${o.name}: stop requested`))
      await opening
      await standIn?.stop()
      const codes: number[] = []
      for (const role of [...running].reverse()) codes.push(await role.stop())
      return codes.find((code) => code !== 0) ?? 0
    },
    done,
  }
}
