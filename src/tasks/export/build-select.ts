import { type ExportFilter, type ExportFilters, RANGE_OPERATORS } from './export-filter.ts'

export type Dialect = 'sqlite' | 'postgres'

export interface SelectQuery {
  sql: string
  params: unknown[]
}

/** Quotes an identifier (already on the allow-list and checked as a plain name: this is depth). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * The SELECT for an export. Table and column names come only from the config allow-list (checked
 * by the caller) and are quoted; every value is a bound parameter, never text in the SQL.
 */
export function buildSelect(
  dialect: Dialect,
  table: string,
  fields: readonly string[],
  filters: ExportFilters,
): SelectQuery {
  const params: unknown[] = []
  const bind = (value: unknown) => {
    params.push(typeof value === 'boolean' && dialect === 'sqlite' ? Number(value) : value)
    return dialect === 'sqlite' ? '?' : `$${params.length}`
  }
  const where = Object.entries(filters).map(([column, filter]) =>
    condition(dialect, quoteIdent(column), filter, bind),
  )
  const sql =
    `SELECT ${fields.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)}` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '')
  return { sql, params }
}

function condition(
  dialect: Dialect,
  column: string,
  filter: ExportFilter,
  bind: (value: unknown) => string,
): string {
  if (filter === null) return `${column} IS NULL`
  if (typeof filter !== 'object') return `${column} = ${bind(filter)}`
  if ('in' in filter) {
    // PostgreSQL takes the list as one array parameter; SQLite needs one placeholder per value.
    if (dialect === 'postgres') return `${column} = ANY(${bind(filter.in)})`
    return `${column} IN (${filter.in.map(bind).join(', ')})`
  }
  return Object.entries(filter)
    .map(([op, value]) => `${column} ${RANGE_OPERATORS[op as keyof typeof RANGE_OPERATORS]} ${bind(value)}`)
    .join(' AND ')
}
