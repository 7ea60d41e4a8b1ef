/**
 * The SMS provider URL as it may be shown: Twilio's auth token hidden; a URL template cut before
 * its query and without user info, since providers such as Hubtel take their keys in the query.
 */
export function redactSmsUrl(url: string): string {
  const twilio = /^(twilio(?:\+http)?:\/\/[^:@/\s]+:)[^@/\s]+(@.*)$/.exec(url)
  if (twilio) return `${twilio[1]}***${twilio[2]}`
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?***' : ''}`
  } catch {
    return '***'
  }
}

/** A `Name: value` header with its value hidden. */
export function redactHeaderLine(line: string): string {
  return `${line.slice(0, Math.max(0, line.indexOf(':')))}: ***`
}
