import { z } from 'zod'

/** One key of a ring: its id travels with what it signed or sealed, so keys can rotate. */
export interface PayloadKey {
  id: string
  secret: Buffer
}

/** Newest first: the first key signs and seals new payloads; every key still checks and opens old ones. */
export type KeyRing = readonly PayloadKey[]

export type KeyPurpose = 'signing' | 'encryption'

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
const MIN_SIGNING_SECRET = 32
const AES_256_KEY_BYTES = 32

/**
 * Reads `id:secret[,id:secret…]`, newest first. A signing secret is any text of 32 characters or
 * more; an encryption secret is 32 bytes in base64 (`openssl rand -base64 32`). Problems name the
 * key by its position and id, never by its secret.
 */
export function readKeyRing(text: string, purpose: KeyPurpose): { ring: KeyRing; problems: string[] } {
  const ring: PayloadKey[] = []
  const problems: string[] = []
  const seen = new Set<string>()
  for (const [index, entry] of text.split(',').entries()) {
    const at = entry.indexOf(':')
    const id = at === -1 ? '' : entry.slice(0, at).trim()
    const secret = at === -1 ? '' : entry.slice(at + 1).trim()
    const where = `key ${index + 1}${KEY_ID.test(id) ? ` ('${id}')` : ''}`
    const bytes = secretBytes(secret, purpose)
    if (!KEY_ID.test(id)) problems.push(`${where}: expected id:secret with an id of letters, digits, _ or -`)
    else if (seen.has(id)) problems.push(`${where}: the id is given twice`)
    else if (typeof bytes === 'string') problems.push(`${where}: ${bytes}`)
    else ring.push({ id, secret: bytes })
    seen.add(id)
  }
  return { ring, problems }
}

function secretBytes(secret: string, purpose: KeyPurpose): Buffer | string {
  if (purpose === 'signing') {
    return secret.length >= MIN_SIGNING_SECRET
      ? Buffer.from(secret, 'utf8')
      : `a signing secret needs at least ${MIN_SIGNING_SECRET} characters`
  }
  const bytes = BASE64.test(secret) ? Buffer.from(secret, 'base64') : null
  return bytes?.length === AES_256_KEY_BYTES
    ? bytes
    : `an encryption key is ${AES_256_KEY_BYTES} bytes in base64 (openssl rand -base64 32)`
}

/** A key ring setting as the config holds it: the text, checked here so a bad key stops the start. */
export function keyRingText(purpose: KeyPurpose) {
  return z
    .string()
    .max(10_000)
    .superRefine((text, ctx) => {
      for (const message of readKeyRing(text, purpose).problems) ctx.addIssue({ code: 'custom', message })
    })
}
