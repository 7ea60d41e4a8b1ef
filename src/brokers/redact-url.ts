/** Hides credentials for logs and errors: `redis://:***@host:6379`, `upstash://***@host`, `?token=***`. */
export function redactUrl(url: string): string {
  return url
    .replace(
      /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^:@/]*):([^@/]*)@/,
      (_, scheme, user) => `${scheme}${user}:***@`,
    )
    .replace(/^(upstash(?:\+https?)?:\/\/)[^:@/?#]+@/i, '$1***@')
    .replace(/([?&](?:password|token|secret|key)=)[^&#]*/gi, '$1***')
}
