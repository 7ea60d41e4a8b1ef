import { buildMessage } from '../src/core/build-message.ts'
import { systemClock } from '../src/core/clock.ts'
import { createBuiltinRegistry } from '../src/tasks/index.ts'

const noop = createBuiltinRegistry().require('debug.noop')

/** The JSON message Celeriac stores for a `debug.noop` enqueued without options (a fresh id each call). */
export function noopMessageJson(): string {
  return JSON.stringify(buildMessage(noop, {}, {}, systemClock))
}
