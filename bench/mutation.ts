/**
 * Mutation testing (StrykerJS) over the modules that guard data: lease fencing, settle, recovery
 * of expired leases and revoke in each engine, the retry decision, beat's fire decision, the
 * outbound URL guard, path confinement, the image size check, and the API's auth and body checks.
 * Slow (tens of minutes), so it is not part of CI.
 *
 * Stryker's command runner runs `bun test <the group's test files>` in a sandbox copy of the
 * project once per mutant (the active mutant is picked by an environment variable), so each group
 * pairs a few modules with the few test files that exercise them. The command runner has no
 * per-test coverage: every mutant runs the group's whole command, and "no coverage" stays 0.
 * The Lua scripts of the Redis and Upstash engines (src/brokers/redis/lua) cannot be mutated by
 * Stryker: only their TypeScript callers are. Upstash runs the Redis engine's TypeScript modules,
 * so the Redis group covers both.
 *
 *   bun bench/mutation.ts                 # every group
 *   bun bench/mutation.ts retry beat      # some groups
 *   bun bench/mutation.ts --list          # the groups, their modules and test files
 *   bun bench/mutation.ts --concurrency 1 # at most this many test runs at once (default 2)
 *
 * Needs Redis on 127.0.0.1:6379 (the Redis group's tests). Writes each group's JSON report to
 * reports/mutation/<group>.json and a Markdown summary (table and survivors) to
 * reports/mutation/summary.md.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

export interface MutationGroup {
  name: string
  /** Files Stryker mutates (paths from the repository root). */
  mutate: string[]
  /** Test files `bun test` runs for each mutant. */
  tests: string[]
  /** Lower than the global setting for groups whose tests cannot share the machine. */
  concurrency?: number
}

/**
 * The one list of mutated modules and their tests. When a file moves, fix its path here: a path
 * that does not exist makes its group fail loudly rather than report a hollow score.
 */
export const GROUPS: MutationGroup[] = [
  {
    name: 'sqlite',
    mutate: [
      'src/brokers/sqlite/reserve.ts',
      'src/brokers/sqlite/settle.ts',
      'src/brokers/sqlite/set-state.ts',
      'src/brokers/sqlite/extend-leases.ts',
      'src/brokers/sqlite/recover-expired.ts',
      'src/brokers/sqlite/revoke.ts',
      'src/brokers/sqlite/revoke-queued.ts',
    ],
    tests: ['test/brokers/sqlite-broker.test.ts'],
  },
  {
    name: 'redis',
    mutate: [
      'src/brokers/redis/reserve.ts',
      'src/brokers/redis/settle.ts',
      'src/brokers/redis/extend-leases.ts',
      'src/brokers/redis/recover-expired.ts',
      'src/brokers/redis/revoke.ts',
      'src/brokers/redis/script-errors.ts',
    ],
    tests: [
      'test/brokers/redis-broker.test.ts',
      'test/brokers/redis-reserve-wait.test.ts',
      'test/brokers/redis-engine-details.test.ts',
    ],
  },
  {
    name: 'retry',
    mutate: ['src/core/retry-policy.ts', 'src/worker/execute-task.ts'],
    tests: [
      'test/core/retry-policy.test.ts',
      'test/worker/execute-task.test.ts',
      'test/worker/execute-task-edges.test.ts',
      'test/worker/worker-limits-revoke.test.ts',
    ],
  },
  {
    name: 'beat',
    mutate: ['src/beat/beat.ts', 'src/beat/next-fire.ts'],
    tests: ['test/beat/beat.test.ts', 'test/beat/beat-decisions.test.ts', 'test/beat/next-fire.test.ts'],
  },
  {
    name: 'outbound-url',
    mutate: ['src/security/*.ts'],
    tests: [
      'test/security/outbound-url-guard.test.ts',
      'test/security/outbound-url-details.test.ts',
      'test/tasks/http/http-request.test.ts',
    ],
  },
  {
    name: 'paths',
    mutate: [
      'src/files/resolve-inside-root.ts',
      'src/files/relative-path-problem.ts',
      'src/files/relative-path-schema.ts',
      'src/files/resolve-download.ts',
      'src/files/download-kinds.ts',
    ],
    tests: [
      'test/files/resolve-inside-root.test.ts',
      'test/files/path-confinement-edges.test.ts',
      'test/api/files-route.test.ts',
    ],
  },
  {
    name: 'image-size',
    mutate: ['src/tasks/image/read-image-size.ts', 'src/tasks/image/image-task.ts'],
    tests: [
      'test/tasks/image/read-image-size.test.ts',
      'test/tasks/image/image-size-edges.test.ts',
      'test/tasks/image/image-task.test.ts',
    ],
  },
  {
    name: 'api-auth',
    mutate: [
      'src/api/middleware/authenticate.ts',
      'src/auth/token-checker.ts',
      'src/api/middleware/require-scope.ts',
      'src/auth/failure-window.ts',
      'src/auth/client-ip.ts',
    ],
    tests: ['test/api/auth.test.ts', 'test/api/auth-edges.test.ts'],
  },
  {
    name: 'api-body',
    mutate: ['src/api/body/*.ts'],
    tests: ['test/api/bad-input.test.ts', 'test/api/body-checks-edges.test.ts'],
  },
]

const ROOT = resolve(import.meta.dir, '..')
const OUT = join(ROOT, 'reports', 'mutation')
/** Stryker's sandboxes; gitignored, and skipped by biome through .gitignore. */
const TEMP_DIR = '.stryker-tmp'

type Status =
  | 'Killed'
  | 'Survived'
  | 'NoCoverage'
  | 'Timeout'
  | 'CompileError'
  | 'RuntimeError'
  | 'Ignored'
  | 'Pending'

interface ReportMutant {
  mutatorName: string
  replacement?: string
  status: Status
  location: { start: { line: number; column: number } }
}

interface Report {
  files: Record<string, { mutants: ReportMutant[] }>
}

interface Score {
  module: string
  killed: number
  survived: number
  timeout: number
  noCoverage: number
  errors: number
}

interface Survivor {
  file: string
  line: number
  mutator: string
  replacement: string
}

function strykerConfig(group: MutationGroup, concurrency: number, reportFile: string): object {
  return {
    testRunner: 'command',
    commandRunner: { command: `bun test ${group.tests.join(' ')}` },
    coverageAnalysis: 'off',
    mutate: group.mutate,
    concurrency: Math.min(concurrency, group.concurrency ?? concurrency),
    // A mutant that makes a test wait for an event that never comes hangs until bun's own 30 s
    // per-test timeout; Stryker's timeout (dry run × factor + this) ends such runs sooner.
    timeoutMS: 10_000,
    timeoutFactor: 2,
    dryRunTimeoutMinutes: 5,
    tempDirName: TEMP_DIR,
    cleanTempDir: 'always',
    // The sandbox is a copy of the repository; these are big and no test reads them. Anchored with
    // '/': a bare 'data' would also drop src/dashboard/data.
    ignorePatterns: ['/dist', '/data', '/reports', '/docs', '/deploy', '*.db', '*.db-wal', '*.db-shm'],
    // Bun does not type-check, so Stryker need not add @ts-nocheck to every file it copies.
    disableTypeChecks: false,
    // Stryker rewrites the sandbox's tsconfig.json through TypeScript's JS API, which TypeScript 7
    // (the project's tsc) no longer has. Ours has no extends or references to rewrite, so Stryker is
    // pointed at a file that does not exist and copies tsconfig.json as it is.
    tsconfigFile: 'tsconfig.stryker-none.json',
    reporters: ['json', 'progress'],
    jsonReporter: { fileName: reportFile },
    logLevel: 'info',
  }
}

async function runGroup(group: MutationGroup, concurrency: number): Promise<Report> {
  // Stryker only warns about a mutate pattern that matches nothing: after a file moves, fail here.
  const missing = [...group.mutate, ...group.tests].filter(
    (p) => !p.includes('*') && !existsSync(join(ROOT, p)),
  )
  if (missing.length > 0)
    throw new Error(`missing (moved?): ${missing.join(', ')}; fix GROUPS in bench/mutation.ts`)
  const reportFile = join(OUT, `${group.name}.json`)
  const configFile = join(OUT, `${group.name}.stryker.json`)
  rmSync(reportFile, { force: true })
  writeFileSync(configFile, JSON.stringify(strykerConfig(group, concurrency, reportFile), null, 2))
  const bin = join(ROOT, 'node_modules', '.bin')
  const proc = Bun.spawn(['stryker', 'run', configFile], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    stdout: 'inherit',
    stderr: 'inherit',
  })
  const code = await proc.exited
  if (code !== 0) throw new Error(`stryker exited ${code} for group '${group.name}'`)
  return JSON.parse(readFileSync(reportFile, 'utf8')) as Report
}

function tally(report: Report): { scores: Score[]; survivors: Survivor[] } {
  const scores: Score[] = []
  const survivors: Survivor[] = []
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const count = (...statuses: Status[]) => mutants.filter((m) => statuses.includes(m.status)).length
    scores.push({
      module: file,
      killed: count('Killed'),
      survived: count('Survived'),
      timeout: count('Timeout'),
      noCoverage: count('NoCoverage'),
      errors: count('CompileError', 'RuntimeError'),
    })
    for (const m of mutants) {
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue
      const replacement = (m.replacement ?? '').replace(/\s+/g, ' ')
      survivors.push({
        file,
        line: m.location.start.line,
        mutator: m.mutatorName,
        replacement: replacement.length > 70 ? `${replacement.slice(0, 67)}...` : replacement,
      })
    }
  }
  return { scores, survivors }
}

/** Stryker's mutation score: detected (killed or timed out) over all valid mutants. */
function percent(s: Score): string {
  const valid = s.killed + s.timeout + s.survived + s.noCoverage
  return valid === 0 ? 'n/a' : ((100 * (s.killed + s.timeout)) / valid).toFixed(1)
}

function sum(name: string, scores: Score[]): Score {
  const total = { module: name, killed: 0, survived: 0, timeout: 0, noCoverage: 0, errors: 0 }
  for (const s of scores) {
    total.killed += s.killed
    total.survived += s.survived
    total.timeout += s.timeout
    total.noCoverage += s.noCoverage
    total.errors += s.errors
  }
  return total
}

function table(rows: { group: string; score: Score }[]): string {
  const head = '| group | module | killed | survived | timeout | no coverage | score % |'
  const lines = [head, '| --- | --- | ---: | ---: | ---: | ---: | ---: |']
  for (const { group, score: s } of rows) {
    lines.push(
      `| ${group} | ${s.module} | ${s.killed} | ${s.survived} | ${s.timeout} | ${s.noCoverage} | ${percent(s)} |`,
    )
  }
  return lines.join('\n')
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { concurrency: { type: 'string', default: '2' }, list: { type: 'boolean', default: false } },
})

if (values.list) {
  for (const g of GROUPS)
    console.log(`${g.name}\n  mutate: ${g.mutate.join(' ')}\n  tests:  ${g.tests.join(' ')}`)
  process.exit(0)
}

const unknown = positionals.filter((name) => !GROUPS.some((g) => g.name === name))
if (unknown.length > 0) {
  console.error(`unknown group(s): ${unknown.join(', ')}; known: ${GROUPS.map((g) => g.name).join(', ')}`)
  process.exit(2)
}
const selected = positionals.length === 0 ? GROUPS : GROUPS.filter((g) => positionals.includes(g.name))
const concurrency = Math.max(1, Math.min(2, Number(values.concurrency)))
mkdirSync(OUT, { recursive: true })

const rows: { group: string; score: Score }[] = []
const allSurvivors: Survivor[] = []
const failed: string[] = []
const started = Date.now()
for (const group of selected) {
  const t0 = Date.now()
  console.log(`\n== ${group.name}: bun test ${group.tests.join(' ')}`)
  try {
    const { scores, survivors } = tally(await runGroup(group, concurrency))
    for (const score of scores) rows.push({ group: group.name, score })
    rows.push({ group: group.name, score: sum('(group total)', scores) })
    allSurvivors.push(...survivors)
    console.log(`== ${group.name}: ${((Date.now() - t0) / 60_000).toFixed(1)} min`)
  } catch (err) {
    console.error(`== ${group.name}: ${(err as Error).message}`)
    failed.push(group.name)
  }
}

const totals = sum(
  'all modules',
  rows.filter((r) => r.score.module !== '(group total)').map((r) => r.score),
)
rows.push({ group: 'total', score: totals })
const minutes = ((Date.now() - started) / 60_000).toFixed(0)
const survivorLines = allSurvivors.map((s) => `- ${s.file}:${s.line} ${s.mutator}: \`${s.replacement}\``)
const summary = [
  `Mutation testing, ${new Date().toISOString().slice(0, 10)}, ${minutes} min, concurrency ${concurrency}`,
  '',
  table(rows),
  '',
  `Survivors and mutants without coverage (${allSurvivors.length}):`,
  '',
  ...survivorLines,
  '',
].join('\n')
writeFileSync(join(OUT, 'summary.md'), summary)
console.log(`\n${summary}`)
if (failed.length > 0) {
  console.error(`groups that did not finish: ${failed.join(', ')}`)
  process.exit(1)
}
