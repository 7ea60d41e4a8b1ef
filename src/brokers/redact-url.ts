/** Hides credentials for logs and errors: `redis://:***@host:6379`, `?token=***`. */
export function redactUrl(url: string): string {
  return url
    .replace(
      /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^:@/]*):([^@/]*)@/,
      (_, scheme, user) => `${scheme}${user}:***@`,
    )
    .replace(/([?&](?:password|token|secret|key)=)[^&#]*/gi, '$1***')
}
