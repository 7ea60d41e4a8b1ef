import type { Context } from 'hono'

/** What to run when a request is found to be authenticated, by request (kept only while it lives). */
const onAuthenticated = new WeakMap<object, () => void>()

/**
 * Registers `callback` to run once this request is authenticated: the body guard uses it to stop
 * counting a request against its client IP's cap on unauthenticated bodies.
 */
export function whenAuthenticated(c: Context, callback: () => void): void {
  onAuthenticated.set(c.req, callback)
}

/** Called by the API's bearer auth and the dashboard's session once they accept the request. */
export function markAuthenticated(c: Context): void {
  const callback = onAuthenticated.get(c.req)
  onAuthenticated.delete(c.req)
  callback?.()
}
