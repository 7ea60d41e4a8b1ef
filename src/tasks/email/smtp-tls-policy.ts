/** The query parameter that lets a password travel in clear to a server without STARTTLS. */
export const INSECURE_AUTH_PARAM = 'insecureAuth'

export interface SmtpTlsPolicy {
  /** The URL handed to nodemailer, without our own parameter. */
  url: string
  /** Whether the connection must be upgraded with STARTTLS before anything (AUTH) is sent. */
  requireTls: boolean
  /** A failed TLS upgrade as an error that says what happened and how to opt out; others unchanged. */
  explain(err: unknown, description: string): unknown
}

/**
 * With `smtp://user:pass@...` nodemailer upgrades with STARTTLS only when the server offers it, so
 * a server (or a man in the middle stripping the offer) without it would receive the password in
 * clear. A URL with credentials therefore requires STARTTLS, unless it says `?insecureAuth=true`.
 * `smtps://` is TLS from the first byte, and a URL without credentials has no password to protect.
 */
export function smtpTlsPolicy(text: string): SmtpTlsPolicy {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    // Left to nodemailer to reject; TLS is still required if the text could hold a password.
    return { url: text, requireTls: text.includes('@'), explain: (err) => err }
  }
  const insecure = url.searchParams.get(INSECURE_AUTH_PARAM)?.toLowerCase() === 'true'
  url.searchParams.delete(INSECURE_AUTH_PARAM)
  const implicitTls = url.protocol === 'smtps:' || url.searchParams.get('secure') === 'true'
  const requireTls = url.username !== '' && !implicitTls && !insecure
  return {
    url: url.toString(),
    requireTls,
    explain(err, description) {
      const { code } = (err ?? {}) as { code?: string }
      if (code !== 'ETLS') return err
      const reason = (err as Error).message ?? String(err)
      const message =
        `${description}: the server did not upgrade the connection with STARTTLS (${reason}), and the ` +
        'password is only sent over TLS: use smtps://, a server that offers STARTTLS, or add ' +
        `?${INSECURE_AUTH_PARAM}=true to the URL to send it in clear`
      return Object.assign(new Error(message), { code: 'ETLS' })
    },
  }
}
