import type Handlebars from 'handlebars'
import { UnrecoverableError } from '../../core/errors.ts'
import { loadOnce } from '../../core/load-once.ts'
import type { EmailTemplateSource } from './email-templates.ts'

export interface RenderedEmail {
  subject: string
  html: string
  text: string
}

type Compiled = Handlebars.TemplateDelegate

/** Handlebars, loaded by the first templated email (a worker that sends none never loads it). */
const loadHandlebars = async () => (await import('handlebars')).default

/** Only these schemes become links: a `javascript:` URL in context data renders as `#`. */
const LINK_SCHEMES = ['http:', 'https:', 'mailto:']

export function safeUrl(value: unknown): string {
  if (typeof value !== 'string') return '#'
  try {
    return LINK_SCHEMES.includes(new URL(value).protocol) ? value : '#'
  } catch {
    return '#'
  }
}

/**
 * Renders templates with Handlebars in an environment of its own (no global helpers). Only
 * template files are compiled, never input: context values are data, so `{{constructor...}}` or
 * `${process.env}` in them come out as the literal text. `{{x}}` HTML-escapes in the HTML part;
 * the text part and the subject are not HTML, so they are not escaped, and a rendered subject
 * has its line breaks folded to spaces so context data cannot start a new header.
 */
export function createEmailRenderer(): (
  source: EmailTemplateSource,
  subject: string | null,
  context: Record<string, unknown>,
) => Promise<RenderedEmail> {
  const environment = loadOnce(async () => {
    const hbs = (await loadHandlebars()).create()
    hbs.registerHelper('safe_url', safeUrl)
    return hbs
  })
  const cache = new Map<string, Compiled>()
  const compile = (hbs: typeof Handlebars, text: string, html: boolean): Compiled => {
    const key = `${html ? 'h' : 't'}:${text}`
    let compiled = cache.get(key)
    if (!compiled) {
      compiled = hbs.compile(text, { noEscape: !html, strict: false, preventIndent: true })
      cache.set(key, compiled)
    }
    return compiled
  }
  return async (source, subject, context) => {
    const hbs = await environment()
    try {
      const line = subject ?? compile(hbs, source.subject ?? '', false)(context)
      const folded = line.replace(/[\r\n]+/g, ' ').trim()
      if (folded === '') throw new UnrecoverableError('email: no subject given and the template has none')
      const data = { ...context, subject: folded }
      return {
        subject: folded,
        html: compile(hbs, source.html, true)(data),
        text: compile(hbs, source.text, false)(data),
      }
    } catch (err) {
      if (err instanceof UnrecoverableError) throw err
      throw new UnrecoverableError(`email template: ${(err as Error).message}`)
    }
  }
}
