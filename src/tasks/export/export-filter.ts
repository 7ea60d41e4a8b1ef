import { z } from 'zod'

const Value = z.union([z.string().max(10_000), z.number(), z.boolean()])
const Scalar = z.union([Value, z.null()])
const Bound = z.union([z.string().max(1_000), z.number()])

/**
 * One column's filter: a value (equality; null means IS NULL), `{in: [...]}`, or a range
 * `{gte, gt, lte, lt}`. Values always travel as bound parameters.
 */
export const ExportFilter = z.union([
  Scalar,
  z.object({ in: z.array(Value).min(1).max(1_000) }).strict(),
  z
    .object({ gt: Bound, gte: Bound, lt: Bound, lte: Bound })
    .partial()
    .strict()
    .refine((r) => Object.keys(r).length > 0, 'a range needs at least one of gt, gte, lt, lte'),
])
export type ExportFilter = z.infer<typeof ExportFilter>
export type ExportFilters = Record<string, ExportFilter>

export const RANGE_OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const
