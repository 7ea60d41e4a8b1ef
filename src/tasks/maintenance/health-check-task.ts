import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { redactUrlsInText } from '../../config/redact-credentials.ts'
import { defineTask } from '../../core/task.ts'
import { createOutboundAllowList } from '../../security/outbound-allow-list.ts'
import type { FileTaskServices } from '../file-task-services.ts'
import { probeAppService } from './probe-app-service.ts'
import { probeSmtp } from './probe-smtp.ts'

const CHECK_TIMEOUT_MS = 5_000

export interface HealthCheck {
  name: string
  ok: boolean
  ms: number
  detail: string
}

/** Runs one check with a time bound; a thrown error is a failed check, not a failed task. */
async function timed(name: string, check: () => Promise<string>): Promise<HealthCheck> {
  const started = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
  })
  try {
    const detail = await Promise.race([check(), timeout])
    return { name, ok: true, ms: Math.round(performance.now() - started), detail }
  } catch (err) {
    // A driver's message may quote the URL it was given: never let a password through.
    const detail = redactUrlsInText(err instanceof Error ? err.message : String(err))
    return { name, ok: false, ms: Math.round(performance.now() - started), detail }
  } finally {
    clearTimeout(timer)
  }
}

async function writable(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  const probe = join(dir, `.health-${Bun.randomUUIDv7()}`)
  await writeFile(probe, 'ok')
  await rm(probe)
  return `${dir} is writable`
}

/**
 * system.health_check: broker round trip, storage, SMTP, then the app's own services from
 * CELERIAC_HEALTH_CHECKS (PostgreSQL, Redis, HTTP); each check with ok, ms and detail.
 */
export function createHealthCheckTask(services: FileTaskServices) {
  return defineTask({
    name: 'system.health_check',
    description:
      "Checks the broker round trip, that the exports and media folders are writable, that SMTP answers (when configured), and the app's own services listed in CELERIAC_HEALTH_CHECKS.",
    queue: 'maintenance',
    input: z.object({}).strict().default({}),
    timeLimit: { soft: 30_000, hard: 40_000 },
    // A health check that fails is reported as data; retrying it would only delay the report.
    retry: { max: 0 },
    run: async () => {
      const { exportsDir, mediaRoot, smtpUrl, healthChecks, outboundAllowList } = services.settings
      const allow = createOutboundAllowList(outboundAllowList)
      const checks = await Promise.all([
        timed('broker', async () => {
          await (await services.admin()).ping()
          return 'ping answered'
        }),
        timed('storage.exports', () => writable(exportsDir)),
        timed('storage.media', () => writable(mediaRoot)),
        smtpUrl === null
          ? Promise.resolve({
              name: 'smtp',
              ok: true,
              ms: 0,
              detail: 'not configured (emails go to the outbox folder)',
            })
          : timed('smtp', () => probeSmtp(smtpUrl, CHECK_TIMEOUT_MS)),
        ...healthChecks.map((target) =>
          timed(target.name, () => probeAppService(target, allow, CHECK_TIMEOUT_MS)),
        ),
      ])
      return { ok: checks.every((c) => c.ok), checks }
    },
  })
}
