/** @jsxImportSource hono/jsx */
import { CSRF_FIELD } from '../session/csrf-field.ts'

export interface PostButtonProps {
  base: string
  csrf: string
  /** Path below the base path. */
  action: string
  label: string
  kind?: 'primary' | 'danger' | 'link' | undefined
  /** Extra hidden fields. */
  fields?: Record<string, string> | undefined
  title?: string | undefined
}

/** A state-changing action: always a POST form carrying the session's CSRF token. */
export function PostButton(p: PostButtonProps) {
  return (
    <form method="post" action={`${p.base}${p.action}`} class="inline">
      <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
      {Object.entries(p.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={p.kind ?? 'primary'} title={p.title}>
        {p.label}
      </button>
    </form>
  )
}

/** The hidden CSRF field, for forms with their own inputs. */
export function CsrfField(p: { csrf: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
}
