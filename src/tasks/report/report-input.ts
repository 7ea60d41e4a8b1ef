import { z } from 'zod'

const DAY_MS = 86_400_000
const DateText = z
  .string()
  .max(40)
  .refine(
    (text) => !Number.isNaN(Date.parse(text)),
    'an ISO date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z',
  )

export const ReportInput = z
  .object({
    report_type: z.enum(['activity', 'tasks', 'failures']),
    date_from: DateText,
    date_to: DateText,
    format: z.enum(['json', 'csv', 'html']).default('html'),
  })
  .superRefine((input, ctx) => {
    const span = Date.parse(input.date_to) - Date.parse(input.date_from)
    if (span < 0) ctx.addIssue({ code: 'custom', path: ['date_to'], message: 'must not be before date_from' })
    if (span > 366 * DAY_MS)
      ctx.addIssue({ code: 'custom', path: ['date_to'], message: 'at most 366 days after date_from' })
  })
export type ReportInput = z.infer<typeof ReportInput>
