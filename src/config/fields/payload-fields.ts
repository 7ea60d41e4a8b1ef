import { keyRingText } from '../../security/payload-keys.ts'
import { field } from '../define-field.ts'

/** Signed messages and encrypted payloads: key rings, newest key first, so keys rotate. */
export const PAYLOAD_FIELDS = {
  signingKeys: field({
    schema: keyRingText('signing').nullable(),
    default: null,
    env: 'CELERIAC_SIGNING_KEYS',
    kind: 'nullable-string',
    help: 'HMAC keys that sign every message (id:secret, newest first); workers dead-letter unsigned or altered ones',
    defaultText: 'none (unsigned)',
    expected: 'id:secret[,id:secret…], each secret at least 32 characters',
    secret: true,
  }),
  encryptionKeys: field({
    schema: keyRingText('encryption').nullable(),
    default: null,
    env: 'CELERIAC_ENCRYPTION_KEYS',
    kind: 'nullable-string',
    help: 'AES-256-GCM keys that encrypt task inputs, results and progress at rest (id:base64 key, newest first)',
    defaultText: 'none (plaintext)',
    expected: 'id:key[,id:key…], each key 32 bytes in base64 (openssl rand -base64 32)',
    secret: true,
  }),
}
