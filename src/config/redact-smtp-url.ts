/** An SMTP URL for logs and config dumps: `smtp://user:***@host:587`. Never echoes the password. */
export function redactSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.href.replace(/\/$/, '')
  } catch {
    return 'smtp://(unparsable url)'
  }
}
