/** @jsxImportSource hono/jsx */
import { CsrfField } from './post-button.tsx'

/** The token form. The token travels once, in this POST body; the page never shows it back. */
export function LoginView(p: { base: string; csrf: string; next: string; error: string | null }) {
  return (
    <form method="post" action={`${p.base}/login`} class="panel form login" id="login-form">
      <CsrfField csrf={p.csrf} />
      <input type="hidden" name="next" value={p.next} />
      {p.error && (
        <p class="error-text" id="login-error">
          {p.error}
        </p>
      )}
      <label>
        <span>API token</span>
        <input type="password" name="token" id="token" autocomplete="current-password" required />
        <small>A token from CELERIAC_API_TOKENS: read to look, admin to act.</small>
      </label>
      <div class="actions">
        <button type="submit" class="primary">
          Log in
        </button>
      </div>
    </form>
  )
}
