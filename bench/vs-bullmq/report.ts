import { CELERIAC_SYSTEMS, type SystemName } from './systems.ts'

const PEERS: SystemName[] = ['bullmq', 'bee-queue']

/** Jobs per second, with the Redis server's CPU per job. */
interface Rate {
  perSec: number
  cpuUs: number
}

/** An enqueue phase, with the producer's own CPU per job. */
type Enqueue = Rate & { producerUs: number }

/** A drain phase, with the worker process's CPU per job and its peak RSS. */
type Drain = Rate & { rssMb: number; workerUs: number }

export interface RunResult {
  system: SystemName
  one: Enqueue
  bulk: Enqueue
  c1: Drain
  c50: Drain
  lat: { p50: number; p95: number; p99: number }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

type Row = [label: string, pick: (r: RunResult) => number, format: (n: number) => string]

const int = (n: number) => Math.round(n).toLocaleString('en-US')
const ms = (n: number) => n.toFixed(2)
const us = (n: number) => n.toFixed(1)

const ROWS: Row[] = [
  ['enqueue one at a time, jobs/s', (r) => r.one.perSec, int],
  ['enqueue in bulk, jobs/s', (r) => r.bulk.perSec, int],
  ['drain, concurrency 1, jobs/s', (r) => r.c1.perSec, int],
  ['drain, concurrency 50, jobs/s', (r) => r.c50.perSec, int],
  ['latency p50 at 1,000/s, ms', (r) => r.lat.p50, ms],
  ['latency p95, ms', (r) => r.lat.p95, ms],
  ['latency p99, ms', (r) => r.lat.p99, ms],
  ['worker peak RSS (c=50), MB', (r) => r.c50.rssMb, int],
  ['Redis CPU, enqueue one at a time, µs/job', (r) => r.one.cpuUs, us],
  ['Redis CPU, enqueue in bulk, µs/job', (r) => r.bulk.cpuUs, us],
  ['Redis CPU, drain c=1, µs/job', (r) => r.c1.cpuUs, us],
  ['Redis CPU, drain c=50, µs/job', (r) => r.c50.cpuUs, us],
  ['Redis CPU, add + process (bulk + c=50), µs/job', (r) => r.bulk.cpuUs + r.c50.cpuUs, us],
  ['Redis CPU, add + process (one + c=50), µs/job', (r) => r.one.cpuUs + r.c50.cpuUs, us],
  ['producer CPU, enqueue one at a time, µs/job', (r) => r.one.producerUs, us],
  ['producer CPU, enqueue in bulk, µs/job', (r) => r.bulk.producerUs, us],
  ['worker CPU, drain c=1, µs/job', (r) => r.c1.workerUs, us],
  ['worker CPU, drain c=50, µs/job', (r) => r.c50.workerUs, us],
  ['worker + Redis CPU, drain c=50, µs/job', (r) => r.c50.workerUs + r.c50.cpuUs, us],
]

/** Median of each row per system. */
function medians(results: RunResult[], systems: SystemName[]): Map<SystemName, number[]> {
  return new Map(
    systems.map((s) => {
      const mine = results.filter((r) => r.system === s)
      return [s, ROWS.map(([, pick]) => median(mine.map(pick)))]
    }),
  )
}

function printTable(table: Map<SystemName, number[]>, systems: SystemName[]): void {
  const header = ['', ...systems]
  const body = ROWS.map(([label, , format], i) => [
    label,
    ...systems.map((s) => format(table.get(s)?.[i] ?? 0)),
  ])
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]?.length ?? 0)))
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`
  console.log(line(header))
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`)
  for (const row of body) console.log(line(row))
}

/** The issue's targets, for each Celeriac client measured, against the peers of the same run. */
function printTargets(table: Map<SystemName, number[]>, systems: SystemName[]): void {
  const get = (s: SystemName, label: string) => table.get(s)?.[ROWS.findIndex(([l]) => l === label)]
  const best = (label: string) => {
    const peers = PEERS.map((p) => get(p, label)).filter((v): v is number => v !== undefined)
    return peers.length > 0 ? Math.max(...peers) : undefined
  }
  const times = (v: number | undefined, k: number) => (v === undefined ? undefined : v * k)
  const one = 'enqueue one at a time, jobs/s'
  const bulk = 'enqueue in bulk, jobs/s'
  const c1 = 'drain, concurrency 1, jobs/s'
  const c50 = 'drain, concurrency 50, jobs/s'
  const p99 = 'latency p99, ms'
  const cpu = 'Redis CPU, add + process (bulk + c=50), µs/job'
  const oneRedis = 'Redis CPU, enqueue one at a time, µs/job'
  const oneProducer = 'producer CPU, enqueue one at a time, µs/job'
  const c50Cpu = 'worker + Redis CPU, drain c=50, µs/job'
  const rss = 'worker peak RSS (c=50), MB'
  for (const system of systems.filter((s) => CELERIAC_SYSTEMS.includes(s))) {
    const c = (label: string) => get(system, label)
    const targets: [string, number | undefined, number | undefined, 'higher' | 'lower'][] = [
      ['enqueue one at a time >= bee-queue', c(one), get('bee-queue', one), 'higher'],
      ['enqueue one at a time: producer CPU <= 15 µs/job', c(oneProducer), 15, 'lower'],
      ['enqueue one at a time: Redis CPU <= 8 µs/job', c(oneRedis), 8, 'lower'],
      ['bulk enqueue >= 1.2x bee-queue', c(bulk), times(get('bee-queue', bulk), 1.2), 'higher'],
      ['drain c=50 >= 1.5x the best peer', c(c50), times(best(c50), 1.5), 'higher'],
      ['drain c=50: worker + Redis CPU <= 50 µs/job', c(c50Cpu), 50, 'lower'],
      ['drain c=1 >= 1.3x the best peer', c(c1), times(best(c1), 1.3), 'higher'],
      ['latency p99 <= bee-queue', c(p99), get('bee-queue', p99), 'lower'],
      ['worker peak RSS at c=50 <= 80 MB', c(rss), 80, 'lower'],
      ['Redis CPU per job (bulk add + process c=50) <= 15 µs', c(cpu), 15, 'lower'],
    ]
    console.log(`\ntargets for ${system} (value vs target):`)
    for (const [label, value, target, better] of targets) {
      if (value === undefined || target === undefined) {
        console.log(`  ${label}: not measured in this run`)
        continue
      }
      const met = better === 'higher' ? value >= target : value <= target
      const ratio = better === 'higher' ? value / target : target / value
      console.log(
        `  ${met ? 'MET ' : 'MISS'} ${label}: ${value.toFixed(2)} vs ${target.toFixed(2)} (x${ratio.toFixed(2)})`,
      )
    }
  }
}

export function printReport(results: RunResult[], systems: SystemName[]): void {
  const table = medians(results, systems)
  console.log(`\nmedians of ${results.length / Math.max(1, systems.length)} run(s):\n`)
  printTable(table, systems)
  printTargets(table, systems)
}
