export interface Periodic {
  /** Runs the job now (after any run in progress), outside the schedule. */
  runNow(): Promise<void>
  /** Cancels the schedule and waits for a run in progress. */
  stop(): Promise<void>
}

/**
 * Runs `job` every `ms` without ever overlapping itself: a slow broker call delays the next run
 * instead of piling calls up. A failing run is reported and the schedule goes on, since a broker
 * that is down for a while must not stop heartbeats or lease renewal for good.
 */
export function every(ms: number, job: () => Promise<void>, onError: (err: unknown) => void): Periodic {
  let timer: ReturnType<typeof setTimeout> | null = null
  let running: Promise<void> = Promise.resolve()
  let stopped = false
  const run = (): Promise<void> => {
    running = running.then(() => (stopped ? undefined : job().catch(onError)))
    return running
  }
  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => void run().then(schedule), ms)
  }
  schedule()
  return {
    runNow: run,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
