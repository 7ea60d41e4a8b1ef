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

/** Turns a request into a message: loads the template (override folder first) and renders it. */
export type ComposeEmail = (request: EmailRequest) => Promise<OutgoingEmail>

export function createEmailComposer(services: TaskServices): ComposeEmail {
  const load = createEmailTemplateLoader(services.config.emailTemplatesDir)
  const render = createEmailRenderer()
  return async ({ to, subject, template, context }) => {
    const rendered = render(await load(template), subject, context)
    return { from: services.config.emailFrom, to, ...rendered }
  }
}
