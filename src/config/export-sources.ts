import { z } from 'zod'

/**
 * A `__proto__` key (own, as JSON.parse makes it) is refused: zod drops it silently, so the source
 * or table the operator configured would vanish without a word. The check runs on the raw input,
 * before the record schema sees it.
 */
function refusingProtoKey<T extends z.ZodType>(record: T) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__'))
        ctx.addIssue({ code: 'custom', path: ['__proto__'], message: "'__proto__' cannot be a name here" })
    })
    .pipe(record)
}

/** A plain SQL identifier: the only names that ever reach SQL text, and they are quoted too. */
export const SqlIdentifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a plain SQL identifier (letters, digits, _)')

export const ExportSource = z.object({
  /** `sqlite:///absolute/file.db`, `sqlite://./relative.db` or `postgres://user@host:5432/db`. */
  url: z.string().regex(/^(sqlite|postgres|postgresql):\/\/./, 'a sqlite:// or postgres:// URL'),
  /** The allow-list: exportable tables and, per table, the exportable columns. */
  tables: refusingProtoKey(z.record(SqlIdentifier, z.array(SqlIdentifier).min(1))),
})
export type ExportSource = z.infer<typeof ExportSource>

/** Named data sources for export.csv; the name `tasks` is the built-in task history. */
export const ExportSources = refusingProtoKey(
  z
    .record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), ExportSource)
    .refine((sources) => !Object.hasOwn(sources, 'tasks'), "the source name 'tasks' is built in"),
)
export type ExportSources = z.infer<typeof ExportSources>

/**
 * The source configured as `name`, or undefined. An own-property check, because a plain lookup
 * finds `constructor` or `toString` in every object, configured or not.
 */
export function exportSourceNamed(sources: ExportSources, name: string): ExportSource | undefined {
  return Object.hasOwn(sources, name) ? sources[name] : undefined
}

/** The file path in a sqlite:// URL (`sqlite:///abs` → `/abs`, `sqlite://./rel` → `./rel`). */
export function sqlitePath(url: string): string {
  return url.replace(/^sqlite:\/\//, '')
}
