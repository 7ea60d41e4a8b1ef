import { z } from 'zod'

/** A template is chosen by name, never by path: no dots, no slashes, nothing to traverse with. */
export const TemplateName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9_]+$/, 'a template name (lower-case letters, digits and _), never a path')

/** Values templates may use. Any JSON: they are data to be escaped, never template source. */
export const TemplateContext = z.record(z.string(), z.unknown()).default({})
