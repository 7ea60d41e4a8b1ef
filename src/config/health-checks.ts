import { z } from 'zod'

/** The checks system.health_check always runs; a configured check may not take their names. */
export const BUILT_IN_CHECKS = ['broker', 'storage.exports', 'storage.media', 'smtp'] as const

/** One of the app's own services: a database, a cache, an HTTP endpoint (storage, an API). */
export const HealthCheckTarget = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a name of 1 to 64 letters, digits, _ . : -'),
  url: z
    .string()
    .max(2_048)
    .regex(
      /^(postgres|postgresql|redis|rediss|https?):\/\/./,
      'a postgres://, redis://, rediss://, http:// or https:// URL',
    ),
})
export type HealthCheckTarget = z.infer<typeof HealthCheckTarget>

export const HealthChecks = z
  .array(HealthCheckTarget)
  .max(32)
  .superRefine((checks, ctx) => {
    const seen = new Set<string>()
    for (const [i, { name }] of checks.entries()) {
      if ((BUILT_IN_CHECKS as readonly string[]).includes(name)) {
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `'${name}' is a built-in check` })
      } else if (seen.has(name)) {
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate check name '${name}'` })
      }
      seen.add(name)
    }
  })
