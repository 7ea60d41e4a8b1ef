import { BodyReadError, BodyTimeoutError } from './body-stream-errors.ts'

/** Where a guarded body stands: still arriving, read to its end, past its deadline, or broken. */
export type BodyState = 'arriving' | 'received' | 'timed-out' | 'failed'

/** A request body that must arrive in full by a deadline, and whether it has. */
export interface DeadlineBody {
  stream: ReadableStream<Uint8Array>
  state(): BodyState
  /** Stops the clock (the request is answered; an unread rest is left to the closing connection). */
  dispose(): void
}

/**
 * Wraps `body` so that every reader (JSON, forms, the body-limit middleware) fails with
 * BodyTimeoutError once `timeoutMs` has passed without the whole body, and with BodyReadError
 * when the client's stream breaks. Bun's idle timeout does not stop a client that sends a byte
 * now and then; this does, whatever the pace. `onFinished` runs once, when the body is done.
 */
export function deadlineBody(
  body: ReadableStream<Uint8Array>,
  timeoutMs: number,
  onFinished: () => void,
): DeadlineBody {
  const reader = body.getReader()
  let state: BodyState = 'arriving'
  let done = false
  let fail: (err: Error) => void = () => {}
  const finish = (end: BodyState) => {
    if (done) return
    done = true
    state = end
    clearTimeout(timer)
    onFinished()
  }
  const timer = setTimeout(() => {
    if (done) return
    fail(new BodyTimeoutError(timeoutMs))
    reader.cancel().catch(() => {})
    finish('timed-out')
  }, timeoutMs)
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      fail = (err) => controller.error(err)
    },
    async pull(controller) {
      try {
        const next = await reader.read()
        if (done) return
        if (next.done) {
          finish('received')
          controller.close()
        } else controller.enqueue(next.value)
      } catch (err) {
        if (done) return
        controller.error(new BodyReadError(err))
        finish('failed')
      }
    },
    cancel(reason) {
      finish('failed')
      return reader.cancel(reason).catch(() => {})
    },
  })
  return { stream, state: () => state, dispose: () => clearTimeout(timer) }
}
