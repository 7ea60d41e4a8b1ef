import { z } from 'zod'

/** A plain SQL identifier: the only names that ever reach SQL text, and they are quoted too. */
export const SqlIdentifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a plain SQL identifier (letters, digits, _)')

export const ExportSource = z.object({
  /** `sqlite:///absolute/file.db`, `sqlite://./relative.db` or `postgres://user@host:5432/db`. */
  url: z.string().regex(/^(sqlite|postgres|postgresql):\/\/./, 'a sqlite:// or postgres:// URL'),
  /** The allow-list: exportable tables and, per table, the exportable columns. */
  tables: z.record(SqlIdentifier, z.array(SqlIdentifier).min(1)),
})
export type ExportSource = z.infer<typeof ExportSource>

/** Named data sources for export.csv; the name `tasks` is the built-in task history. */
export const ExportSources = z
  .record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), ExportSource)
  .refine((sources) => !('tasks' in sources), "the source name 'tasks' is built in")
export type ExportSources = z.infer<typeof ExportSources>

/** The file path in a sqlite:// URL (`sqlite:///abs` → `/abs`, `sqlite://./rel` → `./rel`). */
export function sqlitePath(url: string): string {
  return url.replace(/^sqlite:\/\//, '')
}
