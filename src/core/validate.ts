import type { z } from 'zod'
import { type FieldIssue, ValidationError } from './errors.ts'

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
}

/** Parses with a schema or throws a ValidationError naming every wrong field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, subject: string): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new ValidationError(subject, zodIssues(parsed.error))
  return parsed.data
}
