import type { BrokerEngine } from './broker.ts'

/**
 * The engine with enqueue and reserve held until its start-up checks pass, and failing as they
 * did: for a caller that cannot await the checks when it opens the broker (createCeleriac is
 * synchronous), so an evicting Redis is refused before the first task is stored or taken.
 */
export function afterChecks(engine: BrokerEngine, checks: Promise<void>): BrokerEngine {
  let passed = false
  const ready = checks.then(() => {
    passed = true
  })
  // Reported by the first enqueue or reserve; never an unhandled rejection before that.
  ready.catch(() => {})
  return {
    ...engine,
    enqueue: async (messages, options) => {
      if (!passed) await ready
      return engine.enqueue(messages, options)
    },
    reserve: async (request) => {
      if (!passed) await ready
      return engine.reserve(request)
    },
  }
}
