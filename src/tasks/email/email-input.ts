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

export function emailSendInput(config: Config) {
  return z.object({ to: EmailAddress, ...emailFields(config) }).strict()
}
