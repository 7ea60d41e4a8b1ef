/**
 * The fault soak: api + 3 workers + 2 beats on a private Redis (appendfsync always) and on SQLite,
 * a steady mix of tasks (noop, sleep, fail-once, email to an SMTP server in this process, an
 * image) while it kills workers with kill -9, pauses one past its lease, kills the beat leader
 * and (Redis) restarts the server twice. Then the ledger: every accepted id reached one terminal
 * state, none stuck, every beat slot fired once, emails sent, re-runs only where faults were
 * induced, RSS flat. Loopback only; everything it started is stopped by pid.
 *
 *   bun bench/soak.ts [--seconds 60] [--rate 40] [--engines redis,sqlite]
 *
 * Prints one summary line per engine; exits 1 on any violation.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openBroker } from '../src/brokers/create-broker.ts'
import { systemClock } from '../src/core/clock.ts'
import { freePort, type RedisServerProcess, startRedisServer } from '../test/brokers/redis-server-process.ts'
import { startSmtpTestServer } from '../test/tasks/email/smtp-test-server.ts'
import { makeImage } from '../test/tasks/image/image-fixtures.ts'
import { type FaultLog, runFaults } from './soak/faults.ts'
import { checkLedger, drain, type LedgerReport } from './soak/ledger.ts'
import { runLoad } from './soak/load.ts'
import { RoleProcess } from './soak/processes.ts'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '40' },
    engines: { type: 'string', default: 'redis,sqlite' },
  },
})
const SECONDS = Number(values.seconds)
const RATE = Number(values.rate)
const ENGINES = String(values.engines).split(',')
if (!(SECONDS >= 10) || !(RATE > 0) || ENGINES.some((e) => e !== 'redis' && e !== 'sqlite')) {
  console.error('soak: --seconds must be >= 10, --rate > 0, --engines a list of redis and sqlite')
  process.exit(2)
}
const TOKEN = `soak-${crypto.randomUUID()}`
const LEASE_MS = 4_000

async function soakEngine(engine: 'redis' | 'sqlite'): Promise<{ line: string; violations: string[] }> {
  const home = mkdtempSync(join(tmpdir(), `celeriac-soak-${engine}-`))
  mkdirSync(join(home, 'data/media'), { recursive: true })
  writeFileSync(join(home, 'data/media/soak.png'), await makeImage(96, 64, 'image/png'))
  const smtp = await startSmtpTestServer()
  const redis: RedisServerProcess | null =
    engine === 'redis' ? await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']) : null
  const brokerUrl = redis ? redis.url : `sqlite://${join(home, 'data/soak.db')}`
  const port = freePort()
  const env: Record<string, string> = {
    CELERIAC_BROKER_URL: brokerUrl,
    CELERIAC_API_TOKENS: `${TOKEN}:read+submit+admin`,
    CELERIAC_SMTP_URL: smtp.url,
    CELERIAC_MEDIA_ROOT: join(home, 'data/media'),
    CELERIAC_APP: join(import.meta.dir, 'soak/soak-tasks.ts'),
    CELERIAC_SCHEDULES: JSON.stringify([{ name: 'soak-tick', task: 'soak.tick', every: '1s', input: {} }]),
    CELERIAC_LEASE_MS: String(LEASE_MS),
    CELERIAC_HEARTBEAT_MS: '1000',
    // The beat lease stays at its default (10 s): on a saturated machine a shorter one is lost to
    // event-loop stalls, and catchUp (skip) then rightly drops slots older than lease + two ticks.
    CELERIAC_IMAGE_THREADS: '1',
    CELERIAC_LOG_LEVEL: 'info',
  }
  const roles = {
    api: new RoleProcess('api', ['api', '--port', String(port)], env, home),
    workers: [1, 2, 3].map(
      (i) => new RoleProcess(`worker-${i}`, ['worker', '-Q', 'all', '-c', '8', '-n', `soak-${i}`], env, home),
    ),
    beats: [1, 2].map((i) => new RoleProcess(`beat-${i}`, ['beat'], env, home)),
  }
  const all = [roles.api, ...roles.workers, ...roles.beats]
  const violations: string[] = []
  const broker = await openBroker(brokerUrl, { clock: systemClock })
  try {
    await roles.api.waitForLog(/api listening/)
    await Promise.all(roles.workers.map((w) => w.waitForLog(/worker online|consuming/)))
    const start = Date.now()
    const stopAt = start + SECONDS * 1_000
    const rssEarly = new Map<string, number | null>()
    setTimeout(() => {
      for (const p of all) rssEarly.set(p.name, p.rssMb())
    }, SECONDS * 250)
    const [load, faults] = await Promise.all([
      runLoad({
        base: `http://127.0.0.1:${port}`,
        token: TOKEN,
        rate: RATE,
        stopAt,
        inFlight: 64,
        giveUpAfterMs: 60_000,
      }),
      runFaults({ roles, redis, start, seconds: SECONDS, leaseMs: LEASE_MS }),
    ])
    const results = await drain(broker, load.accepted, Date.now() + 120_000)
    const rss = all.map((p) => ({
      name: p.name,
      early: rssEarly.get(p.name) ?? null,
      late: p.rssMb(),
      killed: faults.killed.has(p.name),
    }))
    const emailsBySubject = new Map<string, number>()
    for (const m of smtp.received) {
      const subject = m.mail.subject ?? ''
      emailsBySubject.set(subject, (emailsBySubject.get(subject) ?? 0) + 1)
    }
    const report = await checkLedger({ broker, accepted: load.accepted, results, emailsBySubject })
    violations.push(...judge(report, faults, load.abandoned, rss))
    if (report.beat.fired !== report.beat.expected) {
      // What the beats said about their fires: where a slot went is the first thing to look at.
      const said = roles.beats.flatMap((b) =>
        b.log
          .split('\n')
          .filter((line) => /beat: (skipped|catching|could not|lost|leading)/.test(line))
          .map((line) => `${b.name}: ${line.slice(0, 300)}`),
      )
      console.error(said.slice(-40).join('\n'))
    }
    return { line: summary(engine, report, faults, load, rss, violations), violations }
  } finally {
    await Promise.all(all.map((p) => p.stop()))
    await broker.close()
    await redis?.stop()
    await smtp.close()
    rmSync(home, { recursive: true, force: true })
  }
}

type Rss = { name: string; early: number | null; late: number | null; killed: boolean }

function judge(r: LedgerReport, faults: FaultLog, abandoned: number, rss: Rss[]): string[] {
  const v: string[] = []
  if (r.lost.length) v.push(`${r.lost.length} accepted tasks lost (${r.lost.slice(0, 3).join(', ')})`)
  if (r.stuck.length) v.push(`${r.stuck.length} tasks stuck (${r.stuck.slice(0, 3).join(', ')})`)
  if (r.failed.length) v.push(`${r.failed.length} tasks not SUCCESS (${r.failed.slice(0, 3).join('; ')})`)
  if (abandoned) v.push(`${abandoned} tasks never accepted within 60 s of retries`)
  if (r.emails.missing) v.push(`${r.emails.missing} email tasks SUCCESS without a delivered email`)
  if (faults.total === 0 && (r.reruns || r.emails.duplicates)) v.push('re-runs without any induced fault')
  if (r.beat.fired < r.beat.expected) v.push(`beat missed ${r.beat.expected - r.beat.fired} slots`)
  if (r.beat.fired > r.beat.expected) v.push(`beat fired ${r.beat.fired - r.beat.expected} slots twice`)
  if (r.beat.expected < 3) v.push('beat fired fewer than 3 slots: nothing measured')
  for (const p of rss) {
    // Flat means no steady growth: allow the warm-up of caches and pools, not a doubling.
    if (!p.killed && p.early !== null && p.late !== null && p.late > p.early * 1.5 + 40) {
      v.push(`${p.name} RSS grew ${p.early.toFixed(0)} -> ${p.late.toFixed(0)} MB`)
    }
  }
  return v
}

function summary(
  engine: string,
  r: LedgerReport,
  f: FaultLog,
  load: { refusals: Map<string, number>; networkErrors: number },
  rss: Rss[],
  v: string[],
): string {
  const refused = [...load.refusals].map(([s, n]) => `${n}x${s}`).join(' ') || 'none'
  const mem = rss
    .filter((p) => !p.killed)
    .map((p) => `${p.name} ${p.early?.toFixed(0)}->${p.late?.toFixed(0)}`)
    .join(', ')
  return (
    `soak ${engine}: ${SECONDS}s at ${RATE}/s, ${r.accepted} accepted, ${r.success} SUCCESS, ${r.lost.length} lost, ` +
    `${r.stuck.length} stuck, ${r.failed.length} failed; faults ${f.summary()}; ${r.reruns} re-runs; ` +
    `emails ${r.emails.succeeded} sent (${r.emails.duplicates} duplicates); beat ${r.beat.fired}/${r.beat.expected} slots; ` +
    `retried answers ${refused}, ${load.networkErrors} unanswered; RSS MB ${mem}; ` +
    (v.length ? `VIOLATIONS: ${v.join('; ')}` : 'OK')
  )
}

let failed = false
for (const engine of ENGINES as ('redis' | 'sqlite')[]) {
  const { line, violations } = await soakEngine(engine)
  console.log(line)
  if (violations.length) failed = true
}
process.exit(failed ? 1 : 0)
