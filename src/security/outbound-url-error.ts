import { UnrecoverableError } from '../core/errors.ts'

/** A URL an outbound request may not reach. Never retried: the same URL will be refused again. */
export class OutboundUrlError extends UnrecoverableError {
  override name = 'OutboundUrlError'
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`outbound url refused: ${reason}`)
  }
}
