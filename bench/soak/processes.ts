import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dir, '../..')

/** How to start celeriac: CELERIAC_BIN (the compiled binary) when set, else the source. */
export function celeriacCommand(): string[] {
  const bin = process.env.CELERIAC_BIN?.trim()
  return bin ? bin.split(/\s+/) : [process.execPath, join(ROOT, 'src/main.ts')]
}

/** One celeriac role the soak started: its log is kept, and it is stopped by pid. */
export class RoleProcess {
  private proc: ReturnType<typeof Bun.spawn>
  log = ''
  private readonly label: string

  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
    private readonly cwd: string,
  ) {
    this.label = name
    this.proc = this.spawn()
  }

  private spawn(): ReturnType<typeof Bun.spawn> {
    const proc = Bun.spawn([...celeriacCommand(), ...this.args], {
      cwd: this.cwd,
      env: { ...process.env, ...this.env },
      stdout: 'ignore',
      stderr: 'pipe',
    })
    void (async () => {
      const decoder = new TextDecoder()
      for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
        this.log += decoder.decode(chunk, { stream: true })
        // Keep the tail only: a long soak must not grow the soak's own memory without bound.
        if (this.log.length > 4_000_000) this.log = this.log.slice(-2_000_000)
      }
    })()
    return proc
  }

  get pid(): number {
    return this.proc.pid
  }

  get exited(): boolean {
    return this.proc.exitCode !== null || this.proc.signalCode !== null
  }

  async waitForLog(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!pattern.test(this.log)) {
      if (this.exited) throw new Error(`${this.label} exited: ${this.log.slice(-2_000)}`)
      if (Date.now() > deadline) throw new Error(`${this.label}: no ${pattern} in ${timeoutMs} ms`)
      await Bun.sleep(50)
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.exited) this.proc.kill(signal)
  }

  async kill9(): Promise<void> {
    this.signal('SIGKILL')
    await this.proc.exited
  }

  /** Starts the same role again (after a kill), as a supervisor would. */
  restart(): void {
    this.proc = this.spawn()
  }

  async stop(graceMs = 15_000): Promise<number | null> {
    if (this.exited) return this.proc.exitCode
    this.signal('SIGCONT')
    this.signal('SIGTERM')
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs)
    const code = await this.proc.exited
    clearTimeout(timer)
    return code
  }

  /** Resident memory in MB, from /proc (Linux); null when the process is gone. */
  rssMb(): number | null {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8')
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1])
      return Number.isFinite(kb) ? kb / 1024 : null
    } catch {
      return null
    }
  }
}
