import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { TaskMessage } from '../core/message.ts'
import type { KeyRing, PayloadKey } from './payload-keys.ts'

/** An encrypted value as stored: `{"$sealed": "v1.<key id>.<iv>.<ciphertext + tag>"}` (base64url). */
export interface SealedValue {
  $sealed: string
}

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

/** Why a payload could not be opened or checked: the dead-letter reason and a message naming the key. */
export class PayloadError extends Error {
  override name = 'PayloadError'
  constructor(
    readonly reason: 'bad_signature' | 'undecryptable',
    message: string,
  ) {
    super(message)
  }
}

export function isSealed(value: unknown): value is SealedValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SealedValue).$sealed === 'string' &&
    Object.keys(value).length === 1
  )
}

/**
 * Signs messages (HMAC-SHA256 over the message's JSON without its `sig`) and seals values
 * (AES-256-GCM, bound to the task id and field so a sealed value cannot be moved to another task
 * or field). The first key of each ring is used for new payloads; any key of the ring opens.
 */
export class PayloadSeal {
  constructor(
    private readonly signing: KeyRing,
    private readonly encryption: KeyRing,
  ) {}

  get signs(): boolean {
    return this.signing.length > 0
  }

  get encrypts(): boolean {
    return this.encryption.length > 0
  }

  /** The message with its signature added (`sig: "<key id>.<hex>"`), when signing is on. */
  sign(message: TaskMessage): TaskMessage {
    const key = this.signing[0]
    if (!key) return message
    const { sig: _old, ...unsigned } = message
    return { ...unsigned, sig: `${key.id}.${mac(key, JSON.stringify(unsigned))}` }
  }

  /** Throws a PayloadError unless the message carries a valid signature by a key of the ring. */
  verify(message: TaskMessage): void {
    if (!this.signs) return
    const { sig, ...unsigned } = message
    if (typeof sig !== 'string') throw new PayloadError('bad_signature', 'the message is not signed')
    const dot = sig.indexOf('.')
    const key = this.signing.find((k) => k.id === sig.slice(0, dot))
    if (dot === -1 || !key)
      throw new PayloadError('bad_signature', `signed with an unknown key '${sig.slice(0, 32)}'`)
    const expected = Buffer.from(mac(key, JSON.stringify(unsigned)), 'hex')
    const given = Buffer.from(sig.slice(dot + 1), 'hex')
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new PayloadError(
        'bad_signature',
        `the signature by key '${key.id}' does not match: the message was altered`,
      )
  }

  /** Encrypts a value for `taskId`'s `field`, when encryption is on and there is a value. */
  seal(value: unknown, taskId: string, field: string): unknown {
    const key = this.encryption[0]
    if (!key || value === null || value === undefined) return value
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key.secret, iv)
    cipher.setAAD(Buffer.from(`${taskId}:${field}`))
    const body = Buffer.concat([
      cipher.update(JSON.stringify(value), 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ])
    return { $sealed: [VERSION, key.id, iv.toString('base64url'), body.toString('base64url')].join('.') }
  }

  /** Decrypts a sealed value (others pass through: stored before encryption was on); throws a PayloadError. */
  open(value: unknown, taskId: string, field: string): unknown {
    if (!isSealed(value)) return value
    const [version, id, iv, body] = value.$sealed.split('.')
    const key = this.encryption.find((k) => k.id === id)
    if (version !== VERSION || !key || !iv || !body)
      throw new PayloadError(
        'undecryptable',
        `${field} is sealed with an unknown key '${String(id).slice(0, 32)}'`,
      )
    try {
      const bytes = Buffer.from(body, 'base64url')
      const decipher = createDecipheriv('aes-256-gcm', key.secret, Buffer.from(iv, 'base64url'))
      decipher.setAAD(Buffer.from(`${taskId}:${field}`))
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
      const text = Buffer.concat([
        decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)),
        decipher.final(),
      ])
      return JSON.parse(text.toString('utf8'))
    } catch {
      throw new PayloadError('undecryptable', `${field} does not open with key '${key.id}': it was altered`)
    }
  }

  /** open() for readers: a value no key of the ring opens is shown sealed, as stored. */
  openForReader(value: unknown, taskId: string, field: string): unknown {
    try {
      return this.open(value, taskId, field)
    } catch {
      return value
    }
  }
}

function mac(key: PayloadKey, text: string): string {
  return createHmac('sha256', key.secret).update(text).digest('hex')
}
