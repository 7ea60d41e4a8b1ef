import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A private redis-server for fault tests: its own port and directory, stopped by pid. */
export interface RedisServerProcess {
  readonly port: number
  readonly dir: string
  readonly url: string
  pid(): number
  /** kill -9, then waits for the process to be gone. */
  kill9(): Promise<void>
  /** Starts it again on the same port and directory (the AOF, if any, is reloaded). */
  restart(): Promise<void>
  /** Stops it and deletes its directory. */
  stop(): Promise<void>
}

const running = new Set<number>()
let exitHookInstalled = false

/** Kills servers a crashed or timed-out test left behind, so none outlives the test process. */
function killLeftoversOnExit(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const pid of running) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  })
}

/** A port nobody listens on right now. */
export function freePort(): number {
  const server = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = server.port
  server.stop(true)
  return port
}

export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const proc = Bun.spawn(['redis-cli', '-h', '127.0.0.1', '-p', String(port), ...args], {
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const out = await new Response(proc.stdout).text()
  await proc.exited
  return out.trim()
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await Bun.sleep(25)
  }
  throw new Error(`timed out waiting for ${what}`)
}

export async function startRedisServer(
  extraArgs: string[] = [],
  port = freePort(),
): Promise<RedisServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), `celeriac-redis-${port}-`))
  let proc: ReturnType<typeof Bun.spawn> | null = null
  const launch = async () => {
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
    proc = Bun.spawn(['redis-server', ...args, ...extraArgs], { stdout: 'ignore', stderr: 'ignore' })
    running.add(proc.pid)
    killLeftoversOnExit()
    await waitFor(async () => (await redisCli(port, 'ping')) === 'PONG', `redis-server on ${port}`)
  }
  const kill9 = async () => {
    if (!proc) return
    proc.kill(9)
    await proc.exited
    running.delete(proc.pid)
    proc = null
  }
  await launch()
  return {
    port,
    dir,
    url: `redis://127.0.0.1:${port}/0`,
    pid: () => proc?.pid ?? -1,
    kill9,
    restart: launch,
    stop: async () => {
      await kill9()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Three masters on loopback ports, slots assigned, cluster_state:ok on each. */
export async function startRedisCluster(): Promise<{
  nodes: RedisServerProcess[]
  url: string
  stop(): Promise<void>
}> {
  const nodes: RedisServerProcess[] = []
  for (let i = 0; i < 3; i++) {
    const port = freePort()
    nodes.push(
      await startRedisServer(
        [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '2000',
        ],
        port,
      ),
    )
  }
  const addresses = nodes.map((n) => `127.0.0.1:${n.port}`)
  const create = Bun.spawn(
    ['redis-cli', '--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
    {
      stdout: 'ignore',
      stderr: 'pipe',
    },
  )
  if ((await create.exited) !== 0)
    throw new Error(`redis-cli --cluster create failed: ${await new Response(create.stderr).text()}`)
  for (const n of nodes) {
    await waitFor(
      async () => (await redisCli(n.port, 'cluster', 'info')).includes('cluster_state:ok'),
      `cluster state on ${n.port}`,
    )
  }
  return {
    nodes,
    url: `redis+cluster://${addresses.join(',')}`,
    stop: async () => {
      for (const n of nodes) await n.stop()
    },
  }
}
