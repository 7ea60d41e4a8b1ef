import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'

/** A private redis-server for the bench: a free loopback port, no persistence, stopped by pid. */
export interface BenchRedis {
  readonly port: number
  readonly url: string
  readonly admin: Redis
  /** used_cpu_user + used_cpu_sys of the server, in µs. */
  cpuUs(): Promise<number>
  /** Empties the private server between runs (it is ours alone). */
  flush(): Promise<void>
  stop(): Promise<void>
}

function freePort(): number {
  const server = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = server.port
  server.stop(true)
  return port
}

export async function startBenchRedis(): Promise<BenchRedis> {
  const port = freePort()
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-vs-bullmq-'))
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ]
  const proc = Bun.spawn(['redis-server', ...args], { stdout: 'ignore', stderr: 'inherit' })
  const kill = () => {
    try {
      process.kill(proc.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  process.on('exit', kill)
  const admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 3 })
  admin.on('error', () => {}) // connect() below reports failures; until the server is up they are expected
  for (let i = 0; ; i++) {
    try {
      await admin.connect()
      break
    } catch (err) {
      if (i > 200) throw err
      await Bun.sleep(25)
    }
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    admin,
    async cpuUs() {
      const info = await admin.info('cpu')
      const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0)
      return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6
    },
    async flush() {
      await admin.flushall()
    },
    async stop() {
      admin.disconnect()
      kill()
      await proc.exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
