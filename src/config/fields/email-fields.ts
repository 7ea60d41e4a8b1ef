import { z } from 'zod'
import { field } from '../define-field.ts'

/** The email tasks' transport and limits. */
export const EMAIL_FIELDS = {
  smtpUrl: field({
    schema: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/)
      .nullable(),
    default: null,
    env: 'CELERIAC_SMTP_URL',
    kind: 'nullable-string',
    help: 'SMTP server as smtp://user:pass@host:587 or smtps://; unset: emails go to the outbox folder',
    defaultText: 'none (outbox)',
    expected: 'an SMTP URL like smtp://user:pass@mail.example.com:587 or smtps://...',
    secret: true,
  }),
  emailFrom: field({
    schema: z
      .string()
      .min(3)
      .max(320)
      .refine((text) => !/[\r\n]/.test(text)),
    default: 'Celeriac <celeriac@localhost>',
    env: 'CELERIAC_EMAIL_FROM',
    kind: 'string',
    help: 'the From header of every email',
    expected: "a From address like 'Example <no-reply@example.com>' (one line)",
  }),
  outboxDir: field({
    schema: z.string().min(1),
    default: './data/outbox',
    env: 'CELERIAC_OUTBOX_DIR',
    kind: 'string',
    help: 'where emails are written as .eml files when no SMTP server is configured',
    expected: 'a folder path',
  }),
  emailTemplatesDir: field({
    schema: z.string().min(1).nullable(),
    default: null,
    env: 'CELERIAC_EMAIL_TEMPLATES_DIR',
    kind: 'nullable-string',
    help: 'a folder whose <name>.html/.txt/.subject override or add email templates',
    defaultText: 'embedded templates only',
    expected: 'a folder path (empty: embedded templates only)',
  }),
  emailBulkMax: field({
    schema: z.number().int().min(1).max(10_000),
    default: 100,
    env: 'CELERIAC_EMAIL_BULK_MAX',
    kind: 'int',
    help: 'most recipients one email.bulk task takes',
    expected: 'a number of recipients, 1 to 10000',
  }),
}
