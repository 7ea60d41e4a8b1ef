import { describe, expect, test } from 'bun:test'
import diagnostics from 'node:diagnostics_channel'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { defineTracingHasSubscribers } from '../../src/brokers/redis/tracing-channel-shim.ts'
import { systemClock } from '../../src/core/clock.ts'
import { REDIS_URL } from './redis-support.ts'

// ioredis traces a command only when `hasSubscribers` is not false: without the getter, every
// command built a tracing context and a wrapper promise that nobody listened to.
describe('TracingChannel.hasSubscribers (what ioredis asks before tracing a command)', () => {
  test('is false with nobody listening and true while any of its channels has a subscriber', () => {
    defineTracingHasSubscribers()
    const channel = diagnostics.tracingChannel('celeriac-test:command')
    expect(channel.hasSubscribers).toBe(false)
    const onEnd = () => {}
    diagnostics.subscribe('tracing:celeriac-test:command:asyncEnd', onEnd)
    expect(channel.hasSubscribers).toBe(true)
    diagnostics.unsubscribe('tracing:celeriac-test:command:asyncEnd', onEnd)
    expect(channel.hasSubscribers).toBe(false)
  })

  test('the Redis broker defines it when it connects', async () => {
    const proto = Object.getPrototypeOf(diagnostics.tracingChannel('celeriac-test:probe')) as object
    const native = Object.getOwnPropertyDescriptor(proto, 'hasSubscribers')?.configurable === false
    // Where the runtime has its own getter there is nothing to define: the check below still holds.
    if (!native) Reflect.deleteProperty(proto, 'hasSubscribers')
    const broker = createRedisBroker({ url: REDIS_URL, clock: systemClock, prefix: 'tracing-shim' })
    try {
      expect(diagnostics.tracingChannel('ioredis:command').hasSubscribers).toBe(false)
    } finally {
      await broker.close()
    }
  })
})
