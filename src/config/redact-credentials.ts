/**
 * Credentials inside any value about to be shown (a config dump, an admin endpoint), found by
 * shape rather than by field, so a field added later is covered without anyone remembering it.
 */

/**
 * `scheme://user:password@`: the password runs to the `@` that ends the user info. An `@` inside
 * it counts when another `@` follows before the next `/` or space, so `app:p@ss@db` hides `p@ss`,
 * while `redis://:a@h1, redis://:b@h2` stays two URLs.
 */
const USERINFO_PASSWORD = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s:@/?#]*):(?:[^\s/@]|@(?=[^\s/]*@))*@/g
/** `upstash://TOKEN@host`: the user name is the token. */
const UPSTASH_TOKEN = /(upstash(?:\+https?)?:\/\/)[^\s:@/?#]+@/gi
const SECRET_QUERY = /([?&](?:password|passwd|pass|token|access_token|secret|key|api_key|apikey)=)[^&#\s]*/gi
/** Fields whose whole value is a secret, whatever it looks like. */
const SECRET_KEY = /(password|passwd|secret|token)$/i

/** Hides every credential in a piece of text that may hold URLs anywhere in it. */
export function redactUrlsInText(text: string): string {
  return text
    .replace(USERINFO_PASSWORD, (_, scheme: string, user: string) => `${scheme}${user}:***@`)
    .replace(UPSTASH_TOKEN, '$1***@')
    .replace(SECRET_QUERY, '$1***')
}

/**
 * A copy of `value` with every URL credential hidden, at any depth (objects, arrays), and every
 * string held by a key named like a secret (`...Token`, `...Secret`, `...Password`) masked whole.
 */
export function redactCredentials(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) ? '***' : redactUrlsInText(value)
  if (Array.isArray(value)) return value.map((item) => redactCredentials(item))
  if (typeof value !== 'object' || value === null) return value
  // Object.fromEntries defines own properties, so even a `__proto__` key stays plain data.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactCredentials(v, k)]))
}
