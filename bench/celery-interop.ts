/**
 * Python Celery interop throughput: the same no-op tasks sent by a Python Celery producer, drained
 * by a Celeriac `worker --celery` and by Python Celery workers (prefork -c 1, prefork -c 2,
 * threads), each alone on one private redis-server. For each: the producer sends every task
 * first (not timed); then the worker starts and the figure is its throughput from the first task
 * done to the last (the spread of the results' date_done, so start-up time is left out), with the
 * wall time from spawn to the last result, the worker's peak RSS (the process and its children),
 * and the CPU time per task of the worker (process and children, start-up included) and of the
 * redis-server, from /proc, so a figure taken on a busy machine still says what each task costs.
 *
 *   bun bench/celery-interop.ts [--tasks 20000] [--celeriac-concurrency 10,50] [--only celeriac,prefork1,...]
 *
 * Celeriac runs once per concurrency listed (10 is its default), always one process.
 *
 * Needs Debian's python3-celery and python3-redis (/usr/bin/python3). Everything it starts
 * (redis-server, workers) is stopped by pid.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { startRedisServer } from '../test/brokers/redis-server-process.ts'

const PYTHON = '/usr/bin/python3'
const QUEUE = 'bench'
const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20000' },
    'celeriac-concurrency': { type: 'string', default: '10,50' },
    only: { type: 'string', default: 'celeriac,prefork1,prefork2,threads' },
  },
})
const N = Number(values.tasks)
const dir = mkdtempSync(join(tmpdir(), 'celeriac-bench-celery-'))

/** The Python side's tasks: the same name as Celeriac's built-in no-op, so one message fits both. */
writeFileSync(
  join(dir, 'benchtasks.py'),
  `import os
from celery import Celery
app = Celery('benchtasks', broker=os.environ['CELERY_URL'], backend=os.environ['CELERY_URL'])
@app.task(name='debug.noop')
def noop(): return None
`,
)
writeFileSync(
  join(dir, 'produce.py'),
  `import os, sys
from benchtasks import app
n = int(sys.argv[1])
with app.producer_or_acquire() as producer:
    for _ in range(n):
        app.send_task('debug.noop', queue='${QUEUE}', producer=producer)
`,
)

interface Contender {
  key: string
  label: string
  command: (url: string) => string[]
}

const python = (pool: string, c: number) => (_url: string) => [
  PYTHON,
  '-m',
  'celery',
  '-A',
  'benchtasks',
  'worker',
  `--pool=${pool}`,
  '-c',
  String(c),
  '-Q',
  QUEUE,
  '--without-mingle',
  '--without-gossip',
  '--without-heartbeat',
  '--loglevel=WARNING',
]
const CONTENDERS: Contender[] = [
  ...values['celeriac-concurrency'].split(',').map((c) => ({
    key: 'celeriac',
    label: `Celeriac worker --celery -c ${c} (1 process)`,
    command: () => [
      process.execPath,
      join(import.meta.dir, '../src/main.ts'),
      'worker',
      '--celery',
      '-Q',
      QUEUE,
      '-c',
      c,
    ],
  })),
  { key: 'prefork1', label: 'Celery prefork -c 1', command: python('prefork', 1) },
  { key: 'prefork2', label: 'Celery prefork -c 2', command: python('prefork', 2) },
  { key: 'threads', label: 'Celery threads -c 4', command: python('threads', 4) },
]

/** A process and its descendants (a prefork worker is a parent with children). */
function tree(pid: number): number[] {
  const pids: number[] = []
  const visit = (p: number) => {
    pids.push(p)
    try {
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim()
      for (const child of children ? children.split(/\s+/) : []) visit(Number(child))
    } catch {
      // gone meanwhile
    }
  }
  visit(pid)
  return pids
}

/** RSS of a process and its descendants, in MB. */
function treeRssMb(pid: number): number {
  let kb = 0
  for (const p of tree(pid)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0)
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100

/** CPU time (user + system) of a process and its descendants so far, in ms; exited children count through cutime/cstime. */
function treeCpuMs(pid: number): number {
  let ticks = 0
  for (const p of tree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // utime, stime, cutime, cstime are fields 14-17 of stat; 12-15 after the name.
      for (const i of [11, 12, 13, 14]) ticks += Number(fields[i] ?? 0)
    } catch {
      // gone meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_S
}

const META_COUNT = "return #redis.call('KEYS', 'celery-task-meta-*')"

async function run(c: Contender, url: string, redis: Redis, redisPid: number) {
  await redis.flushdb() // a private server started by this script
  const producer = Bun.spawn([PYTHON, join(dir, 'produce.py'), String(N)], {
    cwd: dir,
    env: { ...process.env, CELERY_URL: url },
    stderr: 'inherit',
  })
  if ((await producer.exited) !== 0) throw new Error('producer failed')
  const queued = await redis.llen(QUEUE)
  const redisCpuBefore = treeCpuMs(redisPid)
  const started = performance.now()
  const worker = Bun.spawn(c.command(url), {
    cwd: dir,
    env: { ...process.env, CELERY_URL: url, CELERIAC_BROKER_URL: url, CELERIAC_LOG_LEVEL: 'warn' },
    stdout: 'ignore',
    stderr: 'ignore',
  })
  let peak = 0
  let workerCpu = 0
  let redisCpu = 0
  try {
    for (;;) {
      peak = Math.max(peak, treeRssMb(worker.pid))
      workerCpu = treeCpuMs(worker.pid)
      redisCpu = treeCpuMs(redisPid) - redisCpuBefore
      // DBSIZE is O(1); the KEYS count (O(keys), which would add to the server's CPU) runs only near the end.
      const done = (await redis.dbsize()) >= N ? Number(await redis.eval(META_COUNT, 0)) : 0
      if (done >= N) break
      if (worker.exitCode !== null) throw new Error(`${c.label} exited ${worker.exitCode}`)
      await Bun.sleep(250)
    }
  } finally {
    worker.kill('SIGTERM')
    const timer = setTimeout(() => worker.kill('SIGKILL'), 15_000)
    await worker.exited
    clearTimeout(timer)
  }
  const wallMs = performance.now() - started
  const spreadMs = await doneSpreadMs(redis)
  return {
    queued,
    wallMs,
    spreadMs,
    rate: ((N - 1) / spreadMs) * 1000,
    peak,
    workerCpuUs: (workerCpu * 1000) / N,
    redisCpuUs: (redisCpu * 1000) / N,
  }
}

/** ms from the first date_done to the last, over every result. */
async function doneSpreadMs(redis: Redis): Promise<number> {
  const keys = (await redis.eval("return redis.call('KEYS', 'celery-task-meta-*')", 0)) as string[]
  let first = Number.POSITIVE_INFINITY
  let last = 0
  for (let i = 0; i < keys.length; i += 1000) {
    for (const raw of await redis.mget(keys.slice(i, i + 1000))) {
      const done = Date.parse(`${(JSON.parse(raw ?? '{}') as { date_done: string }).date_done.slice(0, 23)}Z`)
      first = Math.min(first, done)
      last = Math.max(last, done)
    }
  }
  return last - first
}

const server = await startRedisServer()
const redis = new Redis(server.url)
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
try {
  console.log(`${N} no-op tasks per run, Python producer first, private redis-server on port ${server.port}`)
  const rows: { label: string; rate: number; line: string }[] = []
  for (const c of CONTENDERS.filter((x) => values.only.split(',').includes(x.key))) {
    const r = await run(c, server.url, redis, server.pid())
    const line = `${c.label}: ${fmt(r.rate)} tasks/s (first to last done ${fmt(r.spreadMs)} ms; spawn to last result ${fmt(r.wallMs)} ms), peak RSS ${fmt(r.peak)} MB, CPU per task: worker ${fmt(r.workerCpuUs)} µs, redis-server ${fmt(r.redisCpuUs)} µs, load ${loadavg()[0]?.toFixed(1)}`
    console.log(line)
    rows.push({ label: c.label, rate: r.rate, line })
  }
  for (const ours of rows.filter((r) => r.label.startsWith('Celeriac')))
    for (const r of rows.filter((x) => !x.label.startsWith('Celeriac')))
      console.log(`${ours.label} / ${r.label}: ${(ours.rate / r.rate).toFixed(1)}x`)
} finally {
  redis.disconnect()
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
}
