import { z } from 'zod'
import { type ExportSources, exportSourceNamed } from '../../config/export-sources.ts'
import { ExportFilter } from './export-filter.ts'
import { TASK_FIELDS } from './task-rows.ts'

/** The exportable columns of `source.table`, or a problem naming what is not allowed. */
export function allowedFields(
  sources: ExportSources,
  source: string,
  table: string | undefined,
): { fields: readonly string[] } | { problem: string; path: string } {
  if (source === 'tasks') return { fields: Object.keys(TASK_FIELDS) }
  const config = exportSourceNamed(sources, source)
  if (!config) {
    const known = ['tasks', ...Object.keys(sources)].join(', ')
    return { path: 'source', problem: `unknown source '${source}'; configured: ${known}` }
  }
  if (table === undefined) return { path: 'table', problem: `source '${source}' needs a table` }
  const fields = Object.hasOwn(config.tables, table) ? config.tables[table] : undefined
  if (!fields) {
    const known = Object.keys(config.tables).join(', ')
    return {
      path: 'table',
      problem: `table '${table}' is not exportable from '${source}'; allowed: ${known}`,
    }
  }
  return { fields }
}

/** export.csv input, checked against the allow-list in config at enqueue and again in the worker. */
export function exportInput(sources: ExportSources) {
  return z
    .object({
      source: z.string().min(1).max(64),
      table: z.string().min(1).max(63).optional(),
      fields: z.array(z.string().min(1).max(63)).min(1).max(200),
      filters: z.record(z.string().max(63), ExportFilter).default({}),
    })
    .superRefine((input, ctx) => {
      const allowed = allowedFields(sources, input.source, input.table)
      if ('problem' in allowed) {
        ctx.addIssue({ code: 'custom', path: [allowed.path], message: allowed.problem })
        return
      }
      const check = (name: string, path: (string | number)[]) => {
        if (!allowed.fields.includes(name))
          ctx.addIssue({
            code: 'custom',
            path,
            message: `'${name}' is not exportable; allowed: ${allowed.fields.join(', ')}`,
          })
      }
      for (const [i, f] of input.fields.entries()) check(f, ['fields', i])
      for (const f of Object.keys(input.filters)) check(f, ['filters', f])
    })
}
export type ExportInput = z.infer<ReturnType<typeof exportInput>>
