import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PYTHON } from './celery-harness.ts'

/** A real Python Celery worker over a temp module `pytasks` (the given task definitions). */
export class PythonWorker {
  readonly proc: ReturnType<typeof Bun.spawn>
  private log = ''
  private readonly dir: string

  constructor(url: string, tasks: string, args: string[]) {
    this.dir = mkdtempSync(join(tmpdir(), 'celeriac-pyworker-'))
    writeFileSync(
      join(this.dir, 'pytasks.py'),
      `import os, time\nfrom celery import Celery\napp = Celery('pytasks', broker=os.environ['CELERY_URL'], backend=os.environ['CELERY_URL'])\n${tasks}\n`,
    )
    this.proc = Bun.spawn([PYTHON, '-m', 'celery', '-A', 'pytasks', 'worker', '--loglevel=INFO', ...args], {
      cwd: this.dir,
      env: { ...process.env, CELERY_URL: url },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    for (const stream of [this.proc.stdout, this.proc.stderr] as ReadableStream<Uint8Array>[])
      void this.drain(stream)
  }

  private async drain(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder()
    for await (const chunk of stream) this.log += decoder.decode(chunk, { stream: true })
  }

  get output(): string {
    return this.log
  }

  /** Resolves once the worker's log matches (`ready.`), or rejects with the log so far. */
  async waitForLog(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!pattern.test(this.log)) {
      if (this.proc.exitCode !== null)
        throw new Error(`python worker exited ${this.proc.exitCode}:\n${this.log}`)
      if (Date.now() > deadline)
        throw new Error(`no log line matching ${pattern} in ${timeoutMs} ms:\n${this.log}`)
      await Bun.sleep(50)
    }
  }

  /** Warm shutdown (SIGTERM), then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (this.proc.exitCode === null) this.proc.kill('SIGTERM')
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000)
    await this.proc.exited
    clearTimeout(timer)
    rmSync(this.dir, { recursive: true, force: true })
  }
}
