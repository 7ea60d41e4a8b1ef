import { HTTPException } from 'hono/http-exception'

/**
 * The request body did not arrive within the deadline. The answer closes the connection: the
 * rest of a body nobody will read must not keep the socket open.
 */
export class BodyTimeoutError extends HTTPException {
  readonly code = 'request_timeout'
  constructor(timeoutMs: number) {
    super(408, { message: `request body not received within ${timeoutMs} ms` })
  }
}

/** The body stream failed (the client went away, a broken chunked encoding): the client's fault, a 400. */
export class BodyReadError extends HTTPException {
  readonly code = 'unreadable_body'
  constructor(cause: unknown) {
    super(400, { message: 'request body could not be read', cause })
  }
}
