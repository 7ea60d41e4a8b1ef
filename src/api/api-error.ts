import type { ContentfulStatusCode } from 'hono/utils/http-status'

/**
 * An HTTP answer decided on purpose: a status, a machine code (`invalid_json`, `unknown_task`) and
 * extra fields for the JSON body. Routes throw it; the error handler renders it.
 */
export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }

  body(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.extra }
  }
}
