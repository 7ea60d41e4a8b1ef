import { join } from 'node:path'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { systemClock } from '../../src/core/clock.ts'

/**
 * Creates the default database (./data/celeriac.db) in `dir`, as a role does at its start: for
 * tests whose client commands (call, result) run before any role there, which never create one.
 */
export function createDefaultDatabase(dir: string): void {
  createSqliteBroker({ path: join(dir, 'data', 'celeriac.db'), clock: systemClock }).close()
}

/**
 * How to start celeriac: CELERIAC_BIN (e.g. `dist/celeriac`, split on spaces) when set, so CI can
 * run these tests against the compiled binary; otherwise `bun src/main.ts`.
 */
export function celeriacCommand(): string[] {
  const bin = process.env.CELERIAC_BIN?.trim()
  if (bin) return bin.split(/\s+/)
  return [process.execPath, join(import.meta.dir, '../../src/main.ts')]
}

export interface Finished {
  code: number
  stdout: string
  stderr: string
}

export interface CeleriacEnv {
  cwd: string
  env: Record<string, string>
  /** Another program that is celeriac (a user's own compiled binary); default celeriacCommand(). */
  bin?: string[]
}

/** The parent's environment without any CELERIAC_* setting that could leak into a test. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('CELERIAC_')) env[key] = value
  }
  return { ...env, ...extra }
}

/** Runs one command to completion. */
export async function runCeleriac(args: string[], where: CeleriacEnv): Promise<Finished> {
  const proc = Bun.spawn([...(where.bin ?? celeriacCommand()), ...args], {
    cwd: where.cwd,
    env: childEnv(where.env),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  return { code, stdout: stdout.trim(), stderr: stderr.trim() }
}

/** A long-running celeriac (worker, all) whose stderr log can be waited on. */
export class RunningCeleriac {
  private stderrText = ''
  private stdoutText = ''
  readonly proc: ReturnType<typeof Bun.spawn>
  private readonly drained: Promise<void>

  constructor(args: string[], where: CeleriacEnv) {
    this.proc = Bun.spawn([...(where.bin ?? celeriacCommand()), ...args], {
      cwd: where.cwd,
      env: childEnv(where.env),
      stdout: 'pipe',
      stderr: 'pipe',
    })
    this.drained = Promise.all([
      this.drain(this.proc.stdout as ReadableStream<Uint8Array>, (t) => {
        this.stdoutText += t
      }),
      this.drain(this.proc.stderr as ReadableStream<Uint8Array>, (t) => {
        this.stderrText += t
      }),
    ]).then(() => {})
  }

  private async drain(stream: ReadableStream<Uint8Array>, append: (text: string) => void): Promise<void> {
    const decoder = new TextDecoder()
    for await (const chunk of stream) append(decoder.decode(chunk, { stream: true }))
  }

  get stdout(): string {
    return this.stdoutText
  }

  get stderr(): string {
    return this.stderrText
  }

  /** Resolves once the log matches, or rejects with the log so far. */
  async waitForLog(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!pattern.test(this.stderrText)) {
      if (this.proc.exitCode !== null)
        throw new Error(`celeriac exited ${this.proc.exitCode}:\n${this.stderrText}`)
      if (Date.now() > deadline)
        throw new Error(`no log line matching ${pattern} in ${timeoutMs} ms:\n${this.stderrText}`)
      await Bun.sleep(25)
    }
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number> {
    if (this.proc.exitCode === null) this.proc.kill(signal)
    const code = await this.proc.exited
    await this.drained
    return code
  }
}
