import { z } from 'zod'

/** A JSON value: what task input, results and progress meta must be to cross a broker. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

export const JsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValue),
    z.record(z.string(), JsonValue),
  ]),
)
