import { createHmac } from 'node:crypto'

export const SIGNATURE_HEADER = 'X-Celeriac-Signature'
export const TIMESTAMP_HEADER = 'X-Celeriac-Timestamp'

/**
 * Signature headers for a request body: HMAC-SHA256 over `<timestamp>.<body>` with the shared
 * secret. The receiver recomputes it and rejects old timestamps, so a captured request cannot be
 * replayed later (the scheme Stripe and GitHub-style webhooks use).
 */
export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000))
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `sha256=${digest}` }
}
