import diagnostics from 'node:diagnostics_channel'

/**
 * Gives Bun's TracingChannel the `hasSubscribers` getter Node's has (true when any of its five
 * channels has a subscriber). ioredis 6 traces a command only when its channel has subscribers,
 * and reads a missing getter as "maybe": on Bun it traced every command with nobody listening,
 * building a context of the command's arguments and a wrapper promise each time. Left alone where
 * the runtime defines it.
 */
export function defineTracingHasSubscribers(): void {
  const proto = Object.getPrototypeOf(diagnostics.tracingChannel('celeriac:probe')) as object
  if ('hasSubscribers' in proto) return
  Object.defineProperty(proto, 'hasSubscribers', {
    configurable: true,
    get(this: Record<'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error', { hasSubscribers: boolean }>) {
      return (
        this.start.hasSubscribers ||
        this.end.hasSubscribers ||
        this.asyncStart.hasSubscribers ||
        this.asyncEnd.hasSubscribers ||
        this.error.hasSubscribers
      )
    },
  })
}
