import { escapeHtml } from '../../core/escape-html.ts'
import type { TaskServices } from '../task-services.ts'
import { createEmailTemplateLoader } from './load-email-template.ts'
import type { OutgoingEmail } from './mailer.ts'
import { createEmailRenderer } from './render-email.ts'

export interface EmailRequest {
  to: string
  /** Literal subject (never a template); null: the template's own subject line. */
  subject: string | null
  template: string
  context: Record<string, unknown>
}

/** An email given whole: its text part, its HTML part, or both (the missing one is derived). */
export interface WholeEmail {
  to: string
  subject: string
  text?: string
  html?: string
}

/**
 * A message from a body given whole. A text-only body gets an HTML part made of that text,
 * HTML-escaped (&, <, >, quotes), so no markup can come in through it; `html` is the caller's
 * own markup and goes as given, with its text part the HTML with tags stripped.
 */
export function composeWholeEmail(from: string, email: WholeEmail) {
  const text = email.text ?? (email.html ?? '').replace(/<[^>]*>/g, '').trim()
  const html =
    email.html ??
    `<div style="white-space:pre-wrap;font-family:sans-serif">${escapeHtml(email.text ?? '')}</div>`
  return { from, to: email.to, subject: email.subject, text, html }
}

/** Turns a request into a message: loads the template (override folder first) and renders it. */
export type ComposeEmail = (request: EmailRequest) => Promise<OutgoingEmail>

export function createEmailComposer(services: TaskServices): ComposeEmail {
  const load = createEmailTemplateLoader(services.config.emailTemplatesDir)
  const render = createEmailRenderer()
  return async ({ to, subject, template, context }) => {
    const rendered = await render(await load(template), subject, context)
    return { from: services.config.emailFrom, to, ...rendered }
  }
}
