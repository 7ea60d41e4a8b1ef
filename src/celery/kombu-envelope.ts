import { z } from 'zod'

/**
 * The JSON object kombu's Redis transport stores in a queue list: the message body (base64 text
 * by default) with its content type and encoding, the task headers, and the delivery properties.
 * Unknown fields are kept, so a message handed back or re-published loses nothing.
 */
export const KombuEnvelope = z.looseObject({
  body: z.string(),
  'content-encoding': z.string().nullable().optional(),
  'content-type': z.string().nullable().optional(),
  headers: z.record(z.string(), z.unknown()).default({}),
  properties: z.looseObject({
    delivery_tag: z.string().min(1),
    body_encoding: z.string().optional(),
    priority: z.number().nullable().optional(),
    delivery_info: z
      .looseObject({
        exchange: z.string().nullable().optional(),
        routing_key: z.string().nullable().optional(),
      })
      .default({}),
  }),
})
export type KombuEnvelope = z.infer<typeof KombuEnvelope>

/** The only body format we execute: JSON, never pickle or yaml (they can run code on load). */
const ACCEPTED_CONTENT_TYPE = 'application/json'
const ACCEPTED_ENCODINGS = new Set(['utf-8', 'utf8'])
/** Serializers a Python producer may pick that we name in a refusal, so an operator sees why at once. */
const KNOWN_UNSAFE: Record<string, string> = {
  'application/x-python-serialize': 'pickle',
  'application/x-yaml': 'yaml',
}

export type OpenedEnvelope =
  | { ok: true; envelope: KombuEnvelope; body: string }
  | { ok: false; reason: string; envelope: KombuEnvelope | null }

/** Parses a raw list entry and decodes its body, refusing any content we do not execute. */
export function openEnvelope(raw: string): OpenedEnvelope {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    return { ok: false, reason: 'not a kombu message: the list entry is not JSON', envelope: null }
  }
  const fast = asEnvelope(json)
  const parsed = fast ? { success: true as const, data: fast } : KombuEnvelope.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'
    return { ok: false, reason: `not a kombu message: ${where}`, envelope: null }
  }
  const envelope = parsed.data
  const refusal = refusalOf(envelope)
  if (refusal !== null) return { ok: false, reason: refusal, envelope }
  const encoded = envelope.properties.body_encoding
  const body = encoded === 'base64' ? Buffer.from(envelope.body, 'base64').toString('utf8') : envelope.body
  return { ok: true, envelope, body }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isOptionalText = (v: unknown) => v === undefined || v === null || typeof v === 'string'

/**
 * The envelope as it is when its shape is what KombuEnvelope accepts (every message a producer
 * sends), checked by hand: the schema's parse costs more than the rest of a no-op task's claim.
 * Anything else (or anything unsure) gives null, and the schema then parses it, with its message.
 * Defaults are filled in place: the object is freshly parsed JSON nobody else holds.
 */
function asEnvelope(json: unknown): KombuEnvelope | null {
  if (!isObject(json) || typeof json.body !== 'string') return null
  if (!isOptionalText(json['content-encoding']) || !isOptionalText(json['content-type'])) return null
  const props = json.properties
  if (!isObject(props) || typeof props.delivery_tag !== 'string' || props.delivery_tag === '') return null
  if (props.body_encoding !== undefined && typeof props.body_encoding !== 'string') return null
  const priority = props.priority
  if (priority !== undefined && priority !== null && !Number.isFinite(priority)) return null
  if (json.headers === undefined) json.headers = {}
  else if (!isObject(json.headers)) return null
  if (props.delivery_info === undefined) props.delivery_info = {}
  const info = props.delivery_info
  if (!isObject(info) || !isOptionalText(info.exchange) || !isOptionalText(info.routing_key)) return null
  return json as KombuEnvelope
}

function refusalOf(envelope: KombuEnvelope): string | null {
  const contentType = envelope['content-type'] ?? ''
  if (contentType !== ACCEPTED_CONTENT_TYPE) {
    const named = KNOWN_UNSAFE[contentType] ? ` (${KNOWN_UNSAFE[contentType]})` : ''
    return `refused content-type '${contentType}'${named}: only ${ACCEPTED_CONTENT_TYPE} is executed`
  }
  const encoding = (envelope['content-encoding'] ?? '').toLowerCase()
  if (!ACCEPTED_ENCODINGS.has(encoding)) return `refused content-encoding '${encoding}': only utf-8 is read`
  const compression = envelope.headers.compression
  if (compression !== undefined && compression !== null)
    return `refused compression '${String(compression)}': compressed bodies are not read`
  const bodyEncoding = envelope.properties.body_encoding
  if (bodyEncoding !== undefined && bodyEncoding !== 'base64')
    return `refused body_encoding '${bodyEncoding}': only base64 is read`
  return null
}
