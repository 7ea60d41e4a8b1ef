import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ApiError } from '../api-error.ts'
import { parseStrictJson } from './parse-strict-json.ts'

const JSON_TYPE = /^application\/(?:json|[\w.+-]+\+json)\s*(?:;|$)/i
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

function checkContentType(header: string | undefined): void {
  if (header === undefined || !JSON_TYPE.test(header)) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json', {
      got: header?.slice(0, 100) ?? null,
    })
  }
  const charset = CHARSET.exec(header)?.[1]?.toLowerCase()
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ApiError(415, 'unsupported_media_type', 'JSON bodies must be UTF-8')
  }
}

/**
 * The request's JSON body, or `undefined` when there is none (a task whose input has a default
 * needs no body). The size was capped by the body-limit middleware before this reads it.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await c.req.arrayBuffer())
  } catch (err) {
    // The body-limit middleware throws its own 413 from inside the stream; anything else is the
    // client going away or sending a broken chunked body.
    if (err instanceof HTTPException) throw err
    throw new ApiError(400, 'unreadable_body', 'request body could not be read')
  }
  if (bytes.length === 0) return undefined
  checkContentType(c.req.header('content-type'))
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    throw new ApiError(400, 'invalid_utf8', 'request body is not valid UTF-8')
  }
  return parseStrictJson(text)
}
