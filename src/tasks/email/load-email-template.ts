import { join } from 'node:path'
import { UnrecoverableError } from '../../core/errors.ts'
import { EMBEDDED_EMAIL_TEMPLATES, type EmailTemplateSource } from './email-templates.ts'

const NAME = /^[a-z0-9_]+$/

/** Finds a template's source: the configured override folder first, then the embedded set. */
export type LoadEmailTemplate = (name: string) => Promise<EmailTemplateSource>

/**
 * A loader over `overrideDir` (null: embedded templates only). A template overrides as a whole:
 * when `<dir>/<name>.html` exists its `.txt` must too, so a half-edited override fails loudly
 * instead of mixing two versions. Files are read at each send, so edits apply without a restart.
 */
export function createEmailTemplateLoader(overrideDir: string | null): LoadEmailTemplate {
  return async (name) => {
    // The schema already checked the name; check again here, where it becomes a path.
    if (!NAME.test(name)) throw new UnrecoverableError(`email template '${name}': not a template name`)
    const override = overrideDir === null ? null : await readOverride(overrideDir, name)
    const source = override ?? EMBEDDED_EMAIL_TEMPLATES[name]
    if (!source) {
      const known = Object.keys(EMBEDDED_EMAIL_TEMPLATES).join(', ')
      throw new UnrecoverableError(`email template '${name}' does not exist (built in: ${known})`)
    }
    return source
  }
}

async function readOverride(dir: string, name: string): Promise<EmailTemplateSource | null> {
  const html = Bun.file(join(dir, `${name}.html`))
  if (!(await html.exists())) return null
  const text = Bun.file(join(dir, `${name}.txt`))
  if (!(await text.exists())) {
    throw new UnrecoverableError(`email template '${name}': ${dir} has ${name}.html but no ${name}.txt`)
  }
  const subject = Bun.file(join(dir, `${name}.subject`))
  return {
    html: await html.text(),
    text: await text.text(),
    subject: (await subject.exists()) ? await subject.text() : null,
  }
}

/** Names a caller may use without a lookup: the embedded ones (an override folder may add more). */
export function isEmbeddedTemplate(name: string): boolean {
  return Object.hasOwn(EMBEDDED_EMAIL_TEMPLATES, name)
}
