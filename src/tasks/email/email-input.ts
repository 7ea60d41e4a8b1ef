import { z } from 'zod'
import type { Config } from '../../config/config-schema.ts'
import { EmailAddress, HeaderText } from './header-text.ts'
import { isEmbeddedTemplate } from './load-email-template.ts'
import { TemplateContext, TemplateName } from './template-name.ts'

/**
 * A template name, checked at enqueue against the embedded set when no override folder is
 * configured (a typo is a 400, not a FAILURE later); with a folder, the worker checks it.
 */
export function templateField(config: Config) {
  if (config.emailTemplatesDir !== null) return TemplateName
  return TemplateName.refine(
    isEmbeddedTemplate,
    'no such email template (welcome_user, welcome_admin, notification, digest)',
  )
}

/** The fields every templated email takes: what `email.send` and `notify` (channel email) share. */
export function emailFields(config: Config) {
  return {
    subject: HeaderText.min(1).optional(),
    template: templateField(config),
    context: TemplateContext,
  }
}

/** A body given whole (no template): plain text, or the caller's own HTML. */
const EmailBody = z.string().min(1).max(1_000_000)

/**
 * A templated email, or one given whole: a subject with `text` and/or `html` and no template.
 * Checked by shape after parsing, so each problem names its field.
 */
export function emailSendInput(config: Config) {
  const { template, ...rest } = emailFields(config)
  return z
    .object({
      to: EmailAddress,
      ...rest,
      template: template.optional(),
      text: EmailBody.optional(),
      html: EmailBody.optional(),
    })
    .strict()
    .superRefine((input, ctx) => {
      const body = input.text !== undefined || input.html !== undefined
      if (input.template !== undefined && body) {
        ctx.addIssue({
          code: 'custom',
          path: ['text'],
          message: 'text and html are for an email without a template',
        })
      }
      if (input.template === undefined && !body) {
        ctx.addIssue({
          code: 'custom',
          path: ['template'],
          message: 'give a template, or a subject with text and/or html',
        })
      }
      if (input.template === undefined && body && input.subject === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['subject'],
          message: 'an email without a template needs a subject',
        })
      }
    })
}
export type EmailSendInput = z.infer<ReturnType<typeof emailSendInput>>
