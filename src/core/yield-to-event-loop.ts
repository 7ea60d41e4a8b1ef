/**
 * Resolves after the event loop has had a turn (timers, sockets, other requests). A long job that
 * awaits this between bounded steps shares the process; awaiting a resolved promise would not,
 * as microtasks run before any I/O.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
