import { readFileSync } from 'node:fs'
import { peakRssMb } from '../peak-rss.ts'
import { CELERIAC_SYSTEMS, celeriacUrl, QUEUE, type SystemName } from './systems.ts'

const USER_HZ_US = 10_000
const SCRIPT = new URL('./worker-process.ts', import.meta.url).pathname
const STAMP_TASK = new URL('./stamp-task.ts', import.meta.url).pathname

/** A spawned worker process and the lines it prints. */
export class WorkerHandle {
  private readonly lines: string[] = []
  private readonly waiters: (() => void)[] = []
  private readonly proc: ReturnType<typeof Bun.spawn>

  /** How the process says it is consuming: `ready`, or the compiled worker's banner. */
  private readonly readyLine: (line: string) => boolean

  /** `bin`: a Celeriac system runs the compiled worker with the probe task loaded by `-A`. */
  constructor(system: SystemName, concurrency: number, port: number, probes = 0, bin: string | null = null) {
    if (bin && CELERIAC_SYSTEMS.includes(system)) {
      const args = [bin, 'worker', '-A', STAMP_TASK, '-Q', QUEUE, '-c', String(concurrency)]
      args.push('--log-level', 'warn', '--broker', celeriacUrl(system, port))
      const env = { ...process.env, BENCH_PROBES: String(probes) }
      this.proc = Bun.spawn(args, { stdout: 'pipe', stderr: 'inherit', env })
      this.readyLine = (l) => l.startsWith('celeriac ')
    } else {
      const args = [process.execPath, SCRIPT, system, String(concurrency), String(port)]
      if (probes > 0) args.push(String(probes))
      this.proc = Bun.spawn(args, { stdout: 'pipe', stderr: 'inherit' })
      this.readyLine = (l) => l === 'ready'
    }
    void this.read(this.proc.stdout as ReadableStream<Uint8Array>)
  }

  private async read(stream: ReadableStream<Uint8Array>): Promise<void> {
    let buffered = ''
    const decoder = new TextDecoder()
    for await (const chunk of stream) {
      buffered += decoder.decode(chunk, { stream: true })
      const parts = buffered.split('\n')
      buffered = parts.pop() ?? ''
      this.lines.push(...parts.filter((l) => l.trim() !== ''))
      for (const wake of this.waiters.splice(0)) wake()
    }
  }

  /** The first printed line that matches, waiting up to `timeoutMs`. */
  async line(match: (line: string) => boolean, timeoutMs = 120_000): Promise<string> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.lines.find(match)
      if (found !== undefined) return found
      if (Date.now() > deadline) throw new Error('worker process: timed out waiting for its output')
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), Bun.sleep(200)])
    }
  }

  ready(): Promise<string> {
    return this.line(this.readyLine)
  }

  /** Peak resident set (VmHWM) so far, MB. */
  peakRssMb(): number {
    return peakRssMb(this.proc.pid)
  }

  /**
   * CPU time (user + system, every thread) the process has used so far, in µs. /proc counts it in
   * clock ticks of 10 ms (Linux's USER_HZ), so a phase should last well over a second of CPU.
   */
  cpuUs(): number {
    const stat = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8')
    // The fields after the command name (which may hold spaces) start at state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * USER_HZ_US
  }

  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  async stop(): Promise<void> {
    this.proc.kill('SIGTERM')
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000)
    await this.proc.exited
    clearTimeout(timer)
  }
}
